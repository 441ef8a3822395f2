; Model query for Kotlin (tree-sitter-kotlin 0.3.8, fwcd; a grammar without field names).
; Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(call_expression . (_) @call.callee (call_suffix)) @call
(call_expression (call_suffix (value_arguments) @call.args)) @call
(call_expression . (simple_identifier) @call.name) @call
(call_expression . (navigation_expression . (_) @call.receiver (navigation_suffix (simple_identifier) @call.name) .)) @call
(value_argument . (simple_identifier) @arg.name . "=" (_) @arg.value) @arg

; --- strings -------------------------------------------------------------------------
(string_literal) @string
(string_content) @string.fragment
(character_escape_seq) @string.escape
[(interpolated_expression) (interpolated_identifier)] @string.hole
(additive_expression "+") @concat

; --- assignments ---------------------------------------------------------------------
(property_declaration (binding_pattern_kind) @assign.keyword
  (variable_declaration (simple_identifier) @assign.target @assign.name)) @assign
(property_declaration "=" . (_) @assign.value) @assign
(assignment (directly_assignable_expression) @assign.target . _ @assign.op . (_) @assign.value) @assign
(assignment (directly_assignable_expression (simple_identifier) @assign.name)) @assign
(assignment (directly_assignable_expression (navigation_suffix (simple_identifier) @assign.name))) @assign

; --- key/value entries: "authtoken" to t ---------------------------------------------
((infix_expression . (_) @pair.key . (simple_identifier) @_to . (_) @pair.value .) @pair
 (#eq? @_to "to"))

; --- statements, scopes --------------------------------------------------------------
(source_file (_) @statement)
(statements (_) @statement)
(class_body (_) @statement)
(function_declaration (simple_identifier) @scope.name) @scope
(lambda_literal) @scope
(anonymous_function) @scope
