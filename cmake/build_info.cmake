# Writes OUT (build_info.h) with the source commit, run at every build so the commit is never
# stale; configure_file leaves the file untouched when nothing changed, so nothing rebuilds.
# Inputs: SRC (the source tree), OUT, VERSION, BUILD_TYPE, FEATURES.
execute_process(COMMAND git -C "${SRC}" describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE AISLE_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR AISLE_COMMIT STREQUAL "")
  set(AISLE_COMMIT "unknown")
endif()
set(AISLE_VERSION "${VERSION}")
set(AISLE_BUILD_TYPE "${BUILD_TYPE}")
set(AISLE_FEATURES "${FEATURES}")
configure_file("${SRC}/cmake/build_info.h.in" "${OUT}" @ONLY)
