; Model query for Java (tree-sitter-java 0.23.5). Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(method_invocation name: (identifier) @call.name arguments: (argument_list) @call.args) @call
(method_invocation object: (_) @call.receiver) @call
(object_creation_expression "new" @call.new type: (_) @call.callee arguments: (argument_list) @call.args) @call
(explicit_constructor_invocation arguments: (argument_list) @call.args) @call

; --- strings -------------------------------------------------------------------------
(string_literal) @string
(string_fragment) @string.fragment
(multiline_string_fragment) @string.fragment
(escape_sequence) @string.escape
(string_interpolation) @string.hole
(binary_expression operator: "+") @concat

; --- assignments ---------------------------------------------------------------------
(variable_declarator name: (_) @assign.target @assign.name) @assign
(variable_declarator value: (_) @assign.value) @assign
(field_declaration (modifiers "final" @assign.keyword) declarator: (variable_declarator) @assign)
(local_variable_declaration (modifiers "final" @assign.keyword) declarator: (variable_declarator) @assign)
(assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.name) @assign
(assignment_expression left: (field_access field: (identifier) @assign.name)) @assign

; --- statements, blocks, scopes ------------------------------------------------------
[(expression_statement) (local_variable_declaration) (field_declaration) (return_statement)
 (throw_statement) (yield_statement) (break_statement) (continue_statement)
 (explicit_constructor_invocation)] @statement
[(if_statement) (for_statement) (enhanced_for_statement) (while_statement) (do_statement)
 (try_statement) (try_with_resources_statement) (catch_clause) (finally_clause)
 (switch_expression) (synchronized_statement) (method_declaration)
 (constructor_declaration) (class_declaration)] @statement.compound
[(block) (class_body) (constructor_body) (switch_block)] @block
(method_declaration name: (identifier) @scope.name) @scope
(constructor_declaration name: (identifier) @scope.name) @scope
(lambda_expression) @scope
