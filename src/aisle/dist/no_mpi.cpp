// Built instead of mpi_communicator.cpp when CMake finds no MPI.
#include "aisle/core/error.h"
#include "aisle/dist/communicator.h"

namespace aisle::dist {

bool have_mpi() {
  return false;
}

std::unique_ptr<Communicator> open_mpi() {
  throw Error("this aisle was built without Open MPI: install libopenmpi-dev (make deps) and rebuild");
}

}  // namespace aisle::dist
