; Model query for PHP (tree-sitter-php 0.23.12, the grammar with HTML around <?php ?>).
; Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(function_call_expression function: (_) @call.callee @call.name arguments: (arguments) @call.args) @call
(member_call_expression object: (_) @call.receiver name: (_) @call.name arguments: (arguments) @call.args) @call
(nullsafe_member_call_expression object: (_) @call.receiver name: (_) @call.name arguments: (arguments) @call.args) @call
(scoped_call_expression scope: (_) @call.receiver name: (_) @call.name arguments: (arguments) @call.args) @call
(object_creation_expression "new" @call.new . [(name) (qualified_name)] @call.callee) @call
(object_creation_expression (arguments) @call.args) @call
(argument name: (_) @arg.name ":" (_) @arg.value) @arg
(argument !name (_) @arg.value) @arg

; --- strings -------------------------------------------------------------------------
(string) @string
(encapsed_string) @string
(heredoc) @string
(nowdoc) @string.raw
(string_content) @string.fragment
(escape_sequence) @string.escape
(encapsed_string [(variable_name) (member_access_expression) (subscript_expression)
                  (dynamic_variable_name) (function_call_expression) (member_call_expression)] @string.hole)
(heredoc_body [(variable_name) (member_access_expression) (subscript_expression)
               (dynamic_variable_name)] @string.hole)
(binary_expression operator: ".") @concat

; --- assignments ---------------------------------------------------------------------
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(augmented_assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
[(assignment_expression left: (variable_name (name) @assign.name))
 (augmented_assignment_expression left: (variable_name (name) @assign.name))] @assign
[(assignment_expression left: (member_access_expression name: (name) @assign.name))
 (augmented_assignment_expression left: (member_access_expression name: (name) @assign.name))] @assign
[(assignment_expression left: (subscript_expression (_) [(string) (encapsed_string)] @assign.name))
 (augmented_assignment_expression left: (subscript_expression (_) [(string) (encapsed_string)] @assign.name))] @assign
(const_declaration "const" @assign.keyword (const_element (name) @assign.target @assign.name (_) @assign.value) @assign)
((function_call_expression function: (name) @_define arguments: (arguments . (argument (string) @assign.name) @assign.target . (argument) @assign.value)) @assign
 (#eq? @_define "define"))

; --- key/value entries ---------------------------------------------------------------
(array_element_initializer (_) @pair.key "=>" (_) @pair.value) @pair

; --- statements, blocks, scopes ------------------------------------------------------
[(expression_statement) (return_statement) (echo_statement) (const_declaration)
 (unset_statement) (global_declaration) (property_declaration) (break_statement)
 (continue_statement) (throw_expression)] @statement
[(if_statement) (else_clause) (else_if_clause) (foreach_statement) (for_statement)
 (while_statement) (do_statement) (try_statement) (catch_clause) (switch_statement)
 (function_definition) (method_declaration) (class_declaration)] @statement.compound
[(compound_statement) (declaration_list) (switch_block)] @block
(function_definition name: (name) @scope.name) @scope
(method_declaration name: (name) @scope.name) @scope
(anonymous_function) @scope
(arrow_function) @scope
