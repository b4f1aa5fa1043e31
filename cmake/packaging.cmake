# `make package`: the Debian packages of aisle, built by CPack (docs/SERVING.md, "Running as a
# service"). Two packages, so that the server does not pull in libtorch:
#   aisle        /usr/bin/aisle, its man pages, /etc/aisle/aisle.toml (a conffile), the systemd
#                unit aisle.service, the documents in /usr/share/doc/aisle; a postinst makes the
#                system user aisle that owns /var/lib/aisle (packaging/debian).
#   aisle-torch  the torch plugin (sasrec), when the build has it.
# Depends are computed by dpkg-shlibdeps from the binaries. Included from CMakeLists.txt for
# builds whose binary may be shipped: never for sanitizer builds (their binary needs the
# sanitizer runtime and is slow), whatever the preset.
include(GNUInstallDirs)
set(AISLE_PACKAGING ON)

# Man pages from the built binary's --help (help2man, cmake/man_pages.cmake).
find_program(AISLE_HELP2MAN help2man)
set(aisle_man_dir ${PROJECT_BINARY_DIR}/man)
if(AISLE_HELP2MAN)
  add_custom_command(OUTPUT ${aisle_man_dir}/aisle.1.gz
    COMMAND ${CMAKE_COMMAND} -DAISLE=$<TARGET_FILE:aisle> -DHELP2MAN=${AISLE_HELP2MAN} -DOUT=${aisle_man_dir}
            -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/man_pages.cmake
    DEPENDS aisle ${PROJECT_SOURCE_DIR}/cmake/man_pages.cmake
    COMMENT "Writing the man pages (help2man)"
    VERBATIM)
  add_custom_target(aisle_man_pages ALL DEPENDS ${aisle_man_dir}/aisle.1.gz)
  install(DIRECTORY ${aisle_man_dir}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT aisle
          FILES_MATCHING PATTERN "*.1.gz")
else()
  message(STATUS "help2man not found: the package will have no man pages (scripts/deps.sh installs it)")
endif()

install(TARGETS aisle RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT aisle)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/aisle.toml DESTINATION /etc/aisle COMPONENT aisle)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/aisle.service DESTINATION /lib/systemd/system COMPONENT aisle)
file(GLOB aisle_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${aisle_docs} ${PROJECT_SOURCE_DIR}/packaging/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT aisle)
set(aisle_components aisle)
if(AISLE_WITH_TORCH)
  # Where torch_models.cpp looks for it (relative to the binary, then AISLE_PLUGIN_DIR).
  install(TARGETS aisle_torch LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/aisle COMPONENT torch)
  list(APPEND aisle_components torch)
endif()

set(AISLE_PACKAGE_MAINTAINER "aisle maintainers <maintainers@users.noreply.b-seed-511be6d0.example>"
    CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME aisle)
set(CPACK_PACKAGE_VENDOR "aisle")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${AISLE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${aisle_components})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${AISLE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_AISLE_PACKAGE_NAME aisle)
set(CPACK_DEBIAN_AISLE_PACKAGE_DEPENDS "adduser")
# The first line is the package's summary (Debian policy 3.4); CPack wraps the rest.
set(CPACK_DEBIAN_AISLE_DESCRIPTION "recommendation engine for online shops
aisle ingests a shop's interaction log (views, carts, purchases, ratings) and
catalog into SQLite or PostgreSQL, fits the recommenders shops rely on
(popularity, item-kNN, ALS, BPR, EASE, session kNN, blends and routes of them),
evaluates them offline, and serves them over HTTP with live feedback, model
swaps without downtime, Prometheus metrics, online experiments and a web
dashboard. The unit aisle.service runs `aisle serve` as the system user aisle.")
set(CPACK_DEBIAN_AISLE_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)

set(CPACK_DEBIAN_TORCH_PACKAGE_NAME aisle-torch)
set(CPACK_DEBIAN_TORCH_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_TORCH_PACKAGE_DEPENDS "aisle (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_TORCH_DESCRIPTION "torch models (SASRec) for the aisle recommendation engine
The plugin that aisle loads when a sasrec model is trained or read, linked
with Debian's CPU libtorch. Without it aisle refuses sasrec specs and model
files, saying what is missing.")
include(CPack)
