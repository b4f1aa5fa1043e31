// Errors. A user's mistake (bad file, bad parameter, bad request) throws one of the typed errors
// below with a message that says what was expected and where. A broken invariant is a bug:
// AISLE_CHECK aborts with the location. Errors are turned into exit codes only in cli/main.cpp.
#pragma once

#include <stdexcept>
#include <string>

namespace aisle {

// Base of every error a user can cause and fix.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Input data that cannot be read: a file, a row, a column. The message carries file:line.
class InputError : public Error {
 public:
  using Error::Error;
};

// An id the request names that the model or store does not know (a user, an item, a category).
// An InputError (exit 3 on the command line); the server answers it with 404.
class NotFound : public InputError {
 public:
  using InputError::InputError;
};

// A bad parameter, spec string, command-line value or configuration key.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A store that cannot be opened or written; the message names the store URL.
class StoreError : public Error {
 public:
  using Error::Error;
};

// A fit that failed on its data: the parameters stopped being finite numbers (diverged). The
// message names the model, the step and what to change.
class FitError : public Error {
 public:
  using Error::Error;
};

// Long work (a fit, a batch over every user) stopped because its RunContext's cancel flag was set
// (a server shutting down); nothing it would have produced exists.
class Cancelled : public Error {
 public:
  using Error::Error;
};

[[noreturn]] void check_failed(const char* expr, const char* file, int line, const std::string& msg);

}  // namespace aisle

#define AISLE_CHECK(cond)                                              \
  do {                                                                 \
    if (!(cond)) ::aisle::check_failed(#cond, __FILE__, __LINE__, ""); \
  } while (0)

#define AISLE_CHECK_MSG(cond, msg)                                        \
  do {                                                                    \
    if (!(cond)) ::aisle::check_failed(#cond, __FILE__, __LINE__, (msg)); \
  } while (0)
