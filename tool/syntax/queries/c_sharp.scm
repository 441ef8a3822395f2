; Model query for C# (tree-sitter-c-sharp 0.23.1). Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(invocation_expression function: (_) @call.callee arguments: (argument_list) @call.args) @call
(invocation_expression function: (member_access_expression expression: (_) @call.receiver name: (_) @call.name)) @call
(invocation_expression function: (identifier) @call.name) @call
(object_creation_expression "new" @call.new type: (_) @call.callee) @call
(object_creation_expression arguments: (argument_list) @call.args) @call
(argument name: (identifier) @arg.name ":" (_) @arg.value) @arg
(argument !name (_) @arg.value) @arg

; --- strings -------------------------------------------------------------------------
(string_literal) @string
(verbatim_string_literal) @string.raw
(raw_string_literal) @string.raw
(interpolated_string_expression) @string
(string_literal_content) @string.fragment
(raw_string_content) @string.fragment
(string_content) @string.fragment
(escape_sequence) @string.escape
(interpolation) @string.hole
(binary_expression operator: "+") @concat

; --- assignments ---------------------------------------------------------------------
(variable_declarator name: (_) @assign.target @assign.name "=" (_) @assign.value) @assign
(variable_declarator name: (_) @assign.target @assign.name) @assign
(field_declaration (modifier) @assign.keyword (#any-of? @assign.keyword "const" "readonly")
  (variable_declaration (variable_declarator) @assign))
(assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.name) @assign
(assignment_expression left: (member_access_expression name: (_) @assign.name)) @assign

; --- key/value entries: { "authtoken", t } in a collection initializer -----------------
(initializer_expression (initializer_expression . (_) @pair.key . (_) @pair.value .) @pair)

; --- statements, blocks, scopes ------------------------------------------------------
[(expression_statement) (local_declaration_statement) (field_declaration) (return_statement)
 (throw_statement) (yield_statement) (break_statement) (continue_statement)
 (property_declaration)] @statement
[(if_statement) (for_statement) (foreach_statement) (while_statement) (do_statement)
 (try_statement) (catch_clause) (finally_clause) (switch_statement) (using_statement)
 (lock_statement) (method_declaration) (constructor_declaration) (class_declaration)
 (local_function_statement)] @statement.compound
[(block) (declaration_list) (switch_body)] @block
(method_declaration name: (identifier) @scope.name) @scope
(constructor_declaration name: (identifier) @scope.name) @scope
(local_function_statement name: (identifier) @scope.name) @scope
(lambda_expression) @scope
(anonymous_method_expression) @scope
