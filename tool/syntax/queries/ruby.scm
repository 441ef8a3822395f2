; Model query for Ruby (tree-sitter-ruby 0.23.1). Capture names: tool/syntax/Model.h.

; --- calls (with or without parentheses) ----------------------------------------------
(call method: (_) @call.name) @call
(call receiver: (_) @call.receiver) @call
(call arguments: (argument_list) @call.args) @call
(argument_list (pair key: (_) @arg.name value: (_) @arg.value) @arg)

; --- strings -------------------------------------------------------------------------
[(string) (bare_string) (subshell) (heredoc_body)] @string
(string_content) @string.fragment
(heredoc_content) @string.fragment
(escape_sequence) @string.escape
(interpolation) @string.hole
(binary operator: "+") @concat

; --- assignments ---------------------------------------------------------------------
(assignment left: (_) @assign.target right: (_) @assign.value) @assign
(operator_assignment left: (_) @assign.target operator: _ @assign.op right: (_) @assign.value) @assign
[(assignment left: [(identifier) (constant) (instance_variable) (class_variable) (global_variable)] @assign.name)
 (operator_assignment left: [(identifier) (constant) (instance_variable) (class_variable) (global_variable)] @assign.name)] @assign
[(assignment left: (call method: (_) @assign.name))
 (operator_assignment left: (call method: (_) @assign.name))] @assign
[(assignment left: (element_reference (_) [(string) (simple_symbol)] @assign.name))
 (operator_assignment left: (element_reference (_) [(string) (simple_symbol)] @assign.name))] @assign

; --- key/value entries ---------------------------------------------------------------
(pair key: (_) @pair.key value: (_) @pair.value) @pair

; --- statements: the children of bodies ------------------------------------------------
(program (_) @statement)
(body_statement (_) @statement)
(block_body (_) @statement)
(then (_) @statement)
(else (_) @statement)
(do (_) @statement)
(begin_block (_) @statement)
(parenthesized_statements (_) @statement)
(method name: (_) @scope.name) @scope
(singleton_method name: (_) @scope.name) @scope
(block) @scope
(do_block) @scope
(lambda) @scope
