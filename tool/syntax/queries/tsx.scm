; inherits: typescript
; Model query for TSX: the TypeScript patterns (the grammars share their node types).
