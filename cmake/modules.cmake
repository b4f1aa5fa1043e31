# aisle_module(NAME SOURCES ... DEPS ...): one static library per subsystem. The DEPS list is
# the module graph of docs/architecture.md; a module can only
# include headers of what it links, so the direction is enforced by the linker lines here.
function(aisle_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(aisle_${name} STATIC ${ARG_SOURCES})
  target_include_directories(aisle_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(aisle_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} aisle_warnings)
endfunction()
