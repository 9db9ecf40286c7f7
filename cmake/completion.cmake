# Writes OUT, the completion script for SHELL (bash, zsh or fish) that CASECTL, the built binary, prints.
# A run that fails leaves no file behind, so that a later build runs it again instead of installing half a script.
execute_process(COMMAND ${CASECTL} completion ${SHELL} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${CASECTL} completion ${SHELL} failed: ${status}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
