; inherits: _ecmascript
; Model query for TypeScript (tree-sitter-typescript 0.23.2; tsx.scm reuses it).
(public_field_definition name: (_) @assign.target @assign.name) @assign @statement
(public_field_definition value: (_) @assign.value) @assign
