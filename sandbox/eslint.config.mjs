// ESLint config for sandbox/ (support code, not shipped): see ../eslint.support.config.mjs.
export { default } from '../eslint.support.config.mjs';
