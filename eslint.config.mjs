// Lint rules for the whole repository: typescript-eslint's recommended set, with
// formatting left to prettier. Run with `npm run lint`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "**/dist/**", "bin/**", "bench/out/**", ".state/**", ".cluster/**", ".tenancy/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        // Plain JavaScript files here are CommonJS (preloads and entry shims): require is their import.
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs" },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly", Buffer: "readonly" },
        },
        rules: {
            // Unused arguments are sometimes part of an interface; prefix them with _ to say so.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
);
