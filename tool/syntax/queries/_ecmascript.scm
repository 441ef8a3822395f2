; Model patterns shared by JavaScript, TypeScript and TSX (tree-sitter-javascript 0.23.1,
; tree-sitter-typescript 0.23.2). Not a grammar of its own: javascript.scm and
; typescript.scm inherit it. Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(call_expression function: (_) @call.callee arguments: (arguments) @call.args) @call
(call_expression function: (member_expression object: (_) @call.receiver property: (_) @call.name) arguments: (arguments)) @call
(call_expression function: (identifier) @call.name arguments: (arguments)) @call
(new_expression "new" @call.new constructor: (_) @call.callee) @call
(new_expression arguments: (arguments) @call.args) @call
(new_expression constructor: (member_expression object: (_) @call.receiver property: (_) @call.name)) @call

; --- strings -------------------------------------------------------------------------
(string) @string
(template_string) @string
(string_fragment) @string.fragment
(escape_sequence) @string.escape
(template_substitution) @string.hole
(binary_expression operator: "+") @concat

; --- assignments ---------------------------------------------------------------------
(variable_declarator name: (_) @assign.target) @assign
(variable_declarator value: (_) @assign.value) @assign
(variable_declarator name: (identifier) @assign.name) @assign
(lexical_declaration kind: _ @assign.keyword (variable_declarator) @assign)
(variable_declaration "var" @assign.keyword (variable_declarator) @assign)
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(augmented_assignment_expression left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
[(assignment_expression left: (identifier) @assign.name)
 (augmented_assignment_expression left: (identifier) @assign.name)] @assign
[(assignment_expression left: (member_expression property: (_) @assign.name))
 (augmented_assignment_expression left: (member_expression property: (_) @assign.name))] @assign
[(assignment_expression left: (subscript_expression index: (string) @assign.name))
 (augmented_assignment_expression left: (subscript_expression index: (string) @assign.name))] @assign

; --- key/value entries ---------------------------------------------------------------
(pair key: (_) @pair.key value: (_) @pair.value) @pair
(object (shorthand_property_identifier) @pair @pair.key @pair.value)

; --- statements, blocks, scopes ------------------------------------------------------
[(expression_statement) (return_statement) (throw_statement) (lexical_declaration)
 (variable_declaration) (import_statement) (break_statement) (continue_statement)
 (debugger_statement) (empty_statement)] @statement
[(if_statement) (else_clause) (for_statement) (for_in_statement) (while_statement)
 (do_statement) (try_statement) (catch_clause) (finally_clause) (switch_statement)
 (switch_case) (switch_default) (with_statement) (function_declaration)
 (generator_function_declaration) (class_declaration) (method_definition)] @statement.compound
[(statement_block) (class_body) (switch_body)] @block
(function_declaration name: (identifier) @scope.name) @scope
(generator_function_declaration name: (identifier) @scope.name) @scope
(method_definition name: (_) @scope.name) @scope
(function_expression) @scope
(generator_function) @scope
(arrow_function) @scope
