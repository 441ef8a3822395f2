; inherits: _ecmascript
; Model query for JavaScript (tree-sitter-javascript 0.23.1): the shared ECMAScript
; patterns plus what only this grammar has.
(field_definition property: (_) @assign.target @assign.name) @assign @statement
(field_definition value: (_) @assign.value) @assign
