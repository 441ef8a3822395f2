; Model query for Scala 2 and 3 (tree-sitter-scala 0.24.0). Capture names: tool/syntax/Model.h.

; --- calls ---------------------------------------------------------------------------
(call_expression function: (_) @call.callee arguments: (arguments) @call.args) @call
(call_expression function: (field_expression value: (_) @call.receiver field: (_) @call.name)) @call
(call_expression function: (identifier) @call.name) @call
(instance_expression "new" @call.new . (_) @call.callee) @call
(instance_expression arguments: (arguments) @call.args) @call
(arguments (assignment_expression left: (identifier) @arg.name right: (_) @arg.value) @arg)

; --- strings -------------------------------------------------------------------------
(string) @string
(interpolated_string_expression) @string
(escape_sequence) @string.escape
(interpolation) @string.hole
((infix_expression operator: (_) @_op) @concat (#eq? @_op "+"))

; --- assignments ---------------------------------------------------------------------
[(val_definition pattern: (identifier) @assign.target @assign.name)
 (var_definition pattern: (identifier) @assign.target @assign.name)] @assign
[(val_definition value: (_) @assign.value) (var_definition value: (_) @assign.value)] @assign
(val_definition "val" @assign.keyword) @assign
(var_definition "var" @assign.keyword) @assign
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.name) @assign
(assignment_expression left: (field_expression field: (_) @assign.name)) @assign

; --- key/value entries: "authtoken" -> t ---------------------------------------------
((infix_expression left: (_) @pair.key operator: (_) @_arrow right: (_) @pair.value) @pair
 (#any-of? @_arrow "->" "→"))

; --- statements, scopes --------------------------------------------------------------
(compilation_unit (_) @statement)
(template_body (_) @statement)
(block (_) @statement)
(indented_block (_) @statement)
(function_definition name: (_) @scope.name) @scope
(lambda_expression) @scope
