// Lets TypeScript accept Vite's side-effect CSS imports (`import './richText.css'`); Vite bundles them.
declare module '*.css';
