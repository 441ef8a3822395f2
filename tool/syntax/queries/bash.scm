; Model query for Bash and other POSIX shells (tree-sitter-bash 0.23.3). A command is a
; call: its name is the callee, its words the arguments. Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(command name: (command_name) @call.callee @call.name) @call
(command argument: (_) @call.arg) @call

; --- strings -------------------------------------------------------------------------
(string) @string
(raw_string) @string.raw
(ansi_c_string) @string
(command argument: (word) @string)
(concatenation (word) @string)
(variable_assignment value: (word) @string)
(heredoc_body) @string
(string_content) @string.fragment
(heredoc_content) @string.fragment
[(expansion) (simple_expansion) (command_substitution) (arithmetic_expansion)] @string.hole
(concatenation) @concat

; --- assignments ---------------------------------------------------------------------
(variable_assignment name: (_) @assign.target @assign.name value: (_) @assign.value) @assign
(declaration_command . _ @assign.keyword (variable_assignment) @assign)

; --- statements: the children of command lists ----------------------------------------
(program (_) @statement)
(compound_statement (_) @statement)
(do_group (_) @statement)
(subshell (_) @statement)
(if_statement (_) @statement)
(elif_clause (_) @statement)
(else_clause (_) @statement)
(case_item (_) @statement)
(function_definition name: (word) @scope.name) @scope
