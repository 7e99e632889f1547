// Vite's client types: CSS imports, `?worker` imports (GraphiQL's editor workers).
/// <reference types="vite/client" />
