# The web dashboard (web/): `npm ci` when web/package-lock.json changes (a stamp in
# web/node_modules), a type check (tsc --noEmit), the esbuild bundle into <build>/web-dist, and
# cmake/embed_files.cmake turning that folder into a C++ source of byte arrays compiled into
# `target`. Without node and npm (or with AISLE_WITH_DASHBOARD=OFF) the table is empty and
# `aisle serve` answers GET / with a 404 that says so.
option(AISLE_WITH_DASHBOARD "Build the web dashboard (web/; needs node and npm) into aisle serve" ON)

function(aisle_embed_dashboard target)
  set(web ${PROJECT_SOURCE_DIR}/web)
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/generated/web_assets.cpp)
  set(embed ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake)
  set(with_dashboard ${AISLE_WITH_DASHBOARD})
  if(with_dashboard)
    find_program(AISLE_NODE node)
    find_program(AISLE_NPM npm)
    if(NOT AISLE_NODE OR NOT AISLE_NPM)
      message(STATUS "node or npm not found: aisle serve without the dashboard (scripts/deps.sh installs nodejs and npm)")
      set(with_dashboard OFF)
    endif()
  endif()
  if(with_dashboard)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${web}/src/*)
    set(stamp ${web}/node_modules/.aisle-npm-ci.stamp)
    set(dist ${CMAKE_CURRENT_BINARY_DIR}/web-dist)
    add_custom_command(OUTPUT ${stamp}
      COMMAND ${AISLE_NPM} ci --no-audit --no-fund --loglevel=error
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${web}/package.json ${web}/package-lock.json
      WORKING_DIRECTORY ${web}
      COMMENT "npm ci in web/ (package-lock.json changed)"
      VERBATIM)
    add_custom_command(OUTPUT ${generated}
      COMMAND ${AISLE_NODE} node_modules/typescript/bin/tsc --noEmit -p .
      COMMAND ${AISLE_NODE} build.mjs ${dist}
      COMMAND ${CMAKE_COMMAND} -DDIR=${dist} -DOUT=${generated} -P ${embed}
      DEPENDS ${stamp} ${sources} ${web}/index.html ${web}/build.mjs ${web}/tsconfig.json ${embed}
      WORKING_DIRECTORY ${web}
      COMMENT "Type-checking, bundling and embedding the dashboard (web/)"
      VERBATIM)
  else()
    add_custom_command(OUTPUT ${generated}
      COMMAND ${CMAKE_COMMAND} -DOUT=${generated} -P ${embed}
      DEPENDS ${embed}
      COMMENT "Embedding no dashboard (an empty asset table)"
      VERBATIM)
  endif()
  target_sources(${target} PRIVATE ${generated})
  set_property(GLOBAL PROPERTY AISLE_DASHBOARD_BUILT ${with_dashboard})
endfunction()
