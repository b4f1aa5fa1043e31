# Writes the man pages of the built aisle binary with help2man (run at build time, -P):
# OUT/aisle.1.gz from `aisle --help`, and OUT/aisle-CMD.1.gz from `aisle CMD --help` for each
# subcommand that `aisle --help` lists, so a new command gets its page without a change here.
# Inputs: AISLE (the binary), HELP2MAN, OUT (folder), VERSION.
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${AISLE}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "man pages: `${AISLE} --help` failed (${rc})")
endif()

# The subcommands: the lines "  NAME   summary" after "Subcommands:".
string(REGEX REPLACE ".*\nSubcommands:\n" "" listing "${help}")
string(REPLACE "\n" ";" listing "${listing}")
set(commands "")
set(see_also "")
foreach(line IN LISTS listing)
  if(line MATCHES "^  ([a-z_-]+) +(.+)$")
    list(APPEND commands "${CMAKE_MATCH_1}")
    set(summary_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
    if(NOT see_also STREQUAL "")
      string(APPEND see_also ",\n")
    endif()
    string(APPEND see_also ".BR aisle-${CMAKE_MATCH_1} (1)")
  endif()
endforeach()
if(commands STREQUAL "")
  message(FATAL_ERROR "man pages: no subcommands found in `${AISLE} --help`")
endif()

set(files "[FILES]
.TP
.I /etc/aisle/aisle.toml
the packaged configuration (every key: \\fBaisle config\\fR)
.TP
.I /var/lib/aisle
the store and model of the packaged service (aisle.service)
.TP
.I /usr/share/doc/aisle
README.md and the reference documents (CONFIG.md, SERVING.md, MODELS.md, ...)
")

# One page NAME.1.gz from `AISLE HELP_OPTION` (help2man), titled NAME, with INCLUDE_TEXT's sections.
function(write_page name help_option summary include_text)
  set(include_file "${OUT}/${name}.h2m")
  file(WRITE "${include_file}" "${include_text}")
  execute_process(
    COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --version-string "${VERSION}" --name "${summary}"
            --help-option "${help_option}" --include "${include_file}" --output "${OUT}/${name}.1" "${AISLE}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "man pages: help2man failed for ${name} (${rc})")
  endif()
  file(READ "${OUT}/${name}.1" page)
  if(name STREQUAL "aisle")
    string(REPLACE "\n.SS \"Subcommands:\"\n" "\n.SH COMMANDS\nEach has its own page, \\fBaisle\\-\\fICOMMAND\\fR(1), and its own \\fB\\-\\-help\\fR.\n"
           page "${page}")
  else()
    string(TOUPPER "${name}" title)
    string(REPLACE "\n.TH AISLE " "\n.TH ${title} " page "${page}")
    string(REPLACE "\naisle \\- " "\n${name} \\- " page "${page}")
  endif()
  file(WRITE "${OUT}/${name}.1" "${page}")
  file(REMOVE "${include_file}")
  execute_process(COMMAND gzip -9nf "${OUT}/${name}.1" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "man pages: gzip failed for ${name}.1")
  endif()
endfunction()

write_page(aisle --help "a recommendation engine for online shops" "${files}[SEE ALSO]\n${see_also}\n")
foreach(command IN LISTS commands)
  write_page(aisle-${command} "${command} --help" "${summary_${command}}" "${files}[SEE ALSO]\n.BR aisle (1)\n")
endforeach()
