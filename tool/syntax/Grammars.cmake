# Builds atm_grammars: the generated tree-sitter parsers pinned in grammars.lock, from the
# npm tarballs scripts/bootstrap unpacked into <source>/.cache/grammars/<dir>/. A missing or
# outdated grammar stops the configuration with the command that fixes it. Also writes
# GrammarPins.inc (grammar, npm package, version) for the C++ side.
set(ATM_GRAMMAR_LOCK ${CMAKE_CURRENT_SOURCE_DIR}/grammars.lock)
set(ATM_GRAMMAR_CACHE ${ATM_SOURCE_DIR}/.cache/grammars)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ATM_GRAMMAR_LOCK})

file(STRINGS ${ATM_GRAMMAR_LOCK} ATM_GRAMMAR_LINES REGEX "^[a-z]")
set(ATM_GRAMMAR_SRCS "")
set(ATM_GRAMMAR_MISSING "")
set(ATM_GRAMMAR_PINS "")
foreach(line IN LISTS ATM_GRAMMAR_LINES)
  string(REGEX REPLACE "[ \t]+" ";" fields "${line}")
  list(LENGTH fields n)
  if(n LESS 6)
    message(FATAL_ERROR "${ATM_GRAMMAR_LOCK}: malformed line (want grammar dir package version sha256 sources...): ${line}")
  endif()
  list(GET fields 0 grammar)
  list(GET fields 1 dir)
  list(GET fields 2 pkg)
  list(GET fields 3 ver)
  list(GET fields 4 sha)
  list(SUBLIST fields 5 -1 srcs)
  string(APPEND ATM_GRAMMAR_PINS "ATM_GRAMMAR_PIN(\"${grammar}\", \"${pkg}\", \"${ver}\")\n")
  set(stamp ${ATM_GRAMMAR_CACHE}/${dir}/.pinned)
  set(have "")
  if(EXISTS ${stamp})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${stamp})
    file(READ ${stamp} have)
    string(STRIP "${have}" have)
  endif()
  if(NOT have STREQUAL "${pkg}@${ver} ${sha}")
    list(APPEND ATM_GRAMMAR_MISSING "${pkg}@${ver}")
    continue()
  endif()
  foreach(src IN LISTS srcs)
    if(NOT EXISTS ${ATM_GRAMMAR_CACHE}/${dir}/${src})
      list(APPEND ATM_GRAMMAR_MISSING "${pkg}@${ver} (${src})")
    else()
      set(file ${ATM_GRAMMAR_CACHE}/${dir}/${src})
      list(APPEND ATM_GRAMMAR_SRCS ${file})
      # Shared scanner headers (typescript/common, php/common) include "tree_sitter/…"
      # from the grammar's src/ directory, not the system's 0.20.7 headers.
      get_filename_component(srcdir ${file} DIRECTORY)
      set_source_files_properties(${file} PROPERTIES INCLUDE_DIRECTORIES ${srcdir})
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES ATM_GRAMMAR_SRCS)
if(ATM_GRAMMAR_MISSING)
  list(JOIN ATM_GRAMMAR_MISSING ", " missing)
  message(FATAL_ERROR
    "tree-sitter grammars missing or outdated in ${ATM_GRAMMAR_CACHE}: ${missing}.\n"
    "Run scripts/bootstrap (it fetches the versions pinned in tool/syntax/grammars.lock "
    "from the npm registry), then configure again. Or leave the syntax front end out "
    "with -DATM_EXCLUDE_DIRS=syntax.")
endif()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/GrammarPins.inc
     CONTENT "// Generated from tool/syntax/grammars.lock. Do not edit.\n${ATM_GRAMMAR_PINS}" @ONLY)

# Generated parsers are mostly tables; their lexer functions are big switch statements.
# -O2 costs ~1.5x the CPU of -O0 on the small grammars and nothing extra on the big
# ones (README "Syntax front end" has the figures), so the parsers keep full speed.
set(ATM_GRAMMAR_OPT "-O2" CACHE STRING "Optimisation flag for the generated tree-sitter parsers")
add_library(atm_grammars STATIC ${ATM_GRAMMAR_SRCS})
set_target_properties(atm_grammars PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)
# Generated code: not ours to warn about. The build type's -O3/-O2 is replaced by ATM_GRAMMAR_OPT
# (later flags win) and NDEBUG keeps the scanners' asserts out.
target_compile_options(atm_grammars PRIVATE -w ${ATM_GRAMMAR_OPT})
# Sanitizer and fuzz builds: the generated scanners call memcpy(dst, NULL, 0) when their
# state is empty (tree-sitter-kotlin's serialize; found by the syntax_frontend fuzz target),
# which UBSan's nonnull-attribute check reports although nothing is read. Not our code to
# patch (it is fetched by checksum); every other check stays on for it.
if(ATM_SANITIZE OR ATM_FUZZ)
  target_compile_options(atm_grammars PRIVATE -fno-sanitize=nonnull-attribute)
endif()
target_compile_definitions(atm_grammars PRIVATE NDEBUG)
