/** Rich text shared by server and client: the accepted Lexical nodes, limits and document helpers. */
export * from './nodes.js';
export * from './document.js';
