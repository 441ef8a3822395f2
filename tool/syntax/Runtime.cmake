# Builds atm_tree_sitter: the tree-sitter runtime pinned in tree-sitter-runtime.lock, from the
# sources scripts/bootstrap unpacked into <source>/.cache/tree-sitter/, with
# tree-sitter-query-analysis.patch applied to a copy of lib/src/query.c in the build tree
# (the other sources are compiled in place). A missing or outdated runtime stops the
# configuration with the command that fixes it.
set(ATM_TS_LOCK ${CMAKE_CURRENT_SOURCE_DIR}/tree-sitter-runtime.lock)
set(ATM_TS_PATCH ${CMAKE_CURRENT_SOURCE_DIR}/tree-sitter-query-analysis.patch)
set(ATM_TS_DIR ${ATM_SOURCE_DIR}/.cache/tree-sitter)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ATM_TS_LOCK} ${ATM_TS_PATCH})

file(STRINGS ${ATM_TS_LOCK} ATM_TS_LINES REGEX "^[0-9]")
list(GET ATM_TS_LINES 0 ATM_TS_LINE)
string(REGEX REPLACE "[ \t]+" ";" ATM_TS_FIELDS "${ATM_TS_LINE}")
list(GET ATM_TS_FIELDS 0 ATM_TS_VERSION)
list(GET ATM_TS_FIELDS 1 ATM_TS_SHA)
set(ATM_TS_HAVE "")
if(EXISTS ${ATM_TS_DIR}/.pinned)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ATM_TS_DIR}/.pinned)
  file(READ ${ATM_TS_DIR}/.pinned ATM_TS_HAVE)
  string(STRIP "${ATM_TS_HAVE}" ATM_TS_HAVE)
endif()
if(NOT ATM_TS_HAVE STREQUAL "tree-sitter@${ATM_TS_VERSION} ${ATM_TS_SHA}"
   OR NOT EXISTS ${ATM_TS_DIR}/lib/src/lib.c)
  message(FATAL_ERROR
    "the tree-sitter runtime ${ATM_TS_VERSION} is missing or outdated in ${ATM_TS_DIR}.\n"
    "Run scripts/bootstrap (it fetches the source pinned in tool/syntax/tree-sitter-runtime.lock), "
    "then configure again. Or leave the syntax front end out with -DATM_EXCLUDE_DIRS=syntax.")
endif()

# query.c, patched, into the build tree; re-done when the patch or the sources change.
set(ATM_TS_GEN ${CMAKE_CURRENT_BINARY_DIR}/tree-sitter)
find_program(ATM_PATCH_EXE patch REQUIRED)
add_custom_command(
  OUTPUT ${ATM_TS_GEN}/query.c
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ATM_TS_GEN}
  COMMAND ${ATM_PATCH_EXE} --quiet --force --silent -p1 -o ${ATM_TS_GEN}/query.c
          ${ATM_TS_DIR}/lib/src/query.c ${ATM_TS_PATCH}
  DEPENDS ${ATM_TS_PATCH} ${ATM_TS_DIR}/lib/src/query.c ${ATM_TS_DIR}/.pinned
  COMMENT "Patching tree-sitter ${ATM_TS_VERSION}'s query.c (tree-sitter-query-analysis.patch)")

# lib.c, the runtime's unity file, copied beside the patched query.c: its `#include "./x.c"`
# finds query.c there first and every other source through the include path (lib/src).
set(ATM_TS_UNITY ${ATM_TS_GEN}/lib.c)
configure_file(${ATM_TS_DIR}/lib/src/lib.c ${ATM_TS_UNITY} COPYONLY)

add_library(atm_tree_sitter STATIC ${ATM_TS_UNITY} ${ATM_TS_GEN}/query.c)
set_source_files_properties(${ATM_TS_GEN}/query.c PROPERTIES HEADER_FILE_ONLY ON)
target_include_directories(atm_tree_sitter SYSTEM
  PUBLIC ${ATM_TS_DIR}/lib/include
  PRIVATE ${ATM_TS_DIR}/lib/src)
set_target_properties(atm_tree_sitter PROPERTIES C_STANDARD 11 C_EXTENSIONS ON
                      POSITION_INDEPENDENT_CODE ON)
target_compile_options(atm_tree_sitter PRIVATE -w)
# As the Debian package builds it: optimised, asserts on (a broken invariant aborts rather
# than reads past an array). Sanitizer and fuzz builds leave the runtime uninstrumented, as
# the shared library it replaces was.
target_compile_options(atm_tree_sitter PRIVATE -O2 -UNDEBUG)
if(ATM_SANITIZE OR ATM_FUZZ)
  target_compile_options(atm_tree_sitter PRIVATE -fno-sanitize=all)
endif()
