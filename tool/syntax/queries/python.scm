; Model query for Python (tree-sitter-python 0.23.6). Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(call function: (_) @call.callee arguments: (_) @call.args) @call
(call function: (attribute object: (_) @call.receiver attribute: (identifier) @call.name)) @call
(call function: (identifier) @call.name) @call
(keyword_argument name: (identifier) @arg.name value: (_) @arg.value) @arg

; --- strings -------------------------------------------------------------------------
(string) @string
((string (string_start) @_q) @string.raw (#match? @_q "^[a-zA-Z]*[rR]"))
(string_content) @string.fragment
(escape_sequence) @string.escape
(escape_interpolation) @string.escape
(interpolation) @string.hole
(concatenated_string) @concat
(binary_operator operator: "+") @concat

; --- assignments ---------------------------------------------------------------------
(assignment left: (_) @assign.target right: (_) @assign.value) @assign
(assignment left: (_) @assign.target type: (_) !right) @assign
(augmented_assignment left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
[(assignment left: (identifier) @assign.name)
 (augmented_assignment left: (identifier) @assign.name)] @assign
[(assignment left: (attribute attribute: (identifier) @assign.name))
 (augmented_assignment left: (attribute attribute: (identifier) @assign.name))] @assign
[(assignment left: (subscript subscript: (string) @assign.name))
 (augmented_assignment left: (subscript subscript: (string) @assign.name))] @assign
(named_expression name: (identifier) @assign.target @assign.name value: (_) @assign.value) @assign

; --- key/value entries ---------------------------------------------------------------
(pair key: (_) @pair.key value: (_) @pair.value) @pair

; --- statements, blocks, scopes ------------------------------------------------------
[(expression_statement) (return_statement) (delete_statement) (raise_statement)
 (assert_statement) (import_statement) (import_from_statement) (global_statement)
 (nonlocal_statement) (print_statement) (exec_statement) (type_alias_statement)
 (pass_statement) (break_statement) (continue_statement)] @statement
[(if_statement) (elif_clause) (else_clause) (for_statement) (while_statement)
 (try_statement) (except_clause) (finally_clause) (with_statement) (match_statement)
 (case_clause) (function_definition) (class_definition) (decorated_definition)] @statement.compound
(block) @block
(function_definition name: (identifier) @scope.name) @scope
(lambda) @scope
