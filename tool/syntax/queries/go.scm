; Model query for Go (tree-sitter-go 0.23.4). Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(call_expression function: (_) @call.callee arguments: (argument_list) @call.args) @call
(call_expression function: (selector_expression operand: (_) @call.receiver field: (field_identifier) @call.name)) @call
(call_expression function: (identifier) @call.name) @call

; --- strings -------------------------------------------------------------------------
(interpreted_string_literal) @string
(raw_string_literal) @string.raw
(interpreted_string_literal_content) @string.fragment
(raw_string_literal_content) @string.fragment
(escape_sequence) @string.escape
(binary_expression operator: "+") @concat

; --- assignments ---------------------------------------------------------------------
(assignment_statement left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
(assignment_statement left: (expression_list . (identifier) @assign.name)) @assign
(assignment_statement left: (expression_list . (selector_expression field: (_) @assign.name) .)) @assign
(assignment_statement left: (expression_list . (index_expression index: (interpreted_string_literal) @assign.name) .)) @assign
(short_var_declaration left: (_) @assign.target ":=" @assign.op right: (_) @assign.value) @assign
(short_var_declaration left: (expression_list . (identifier) @assign.name)) @assign
(var_spec name: (identifier) @assign.target @assign.name) @assign
(var_spec value: (_) @assign.value) @assign
(var_declaration "var" @assign.keyword (var_spec) @assign)
(const_spec name: (identifier) @assign.target @assign.name) @assign
(const_spec value: (_) @assign.value) @assign
(const_declaration "const" @assign.keyword (const_spec) @assign)

; --- key/value entries: map and struct literals ----------------------------------------
(keyed_element key: (_) @pair.key value: (_) @pair.value) @pair

; --- statements, blocks, scopes ------------------------------------------------------
[(expression_statement) (short_var_declaration) (assignment_statement) (return_statement)
 (var_declaration) (const_declaration) (go_statement) (defer_statement) (inc_statement)
 (dec_statement) (send_statement) (break_statement) (continue_statement)] @statement
[(if_statement) (for_statement) (expression_switch_statement) (type_switch_statement)
 (select_statement) (function_declaration) (method_declaration)] @statement.compound
(block) @block
(function_declaration name: (identifier) @scope.name) @scope
(method_declaration name: (field_identifier) @scope.name) @scope
(func_literal) @scope
