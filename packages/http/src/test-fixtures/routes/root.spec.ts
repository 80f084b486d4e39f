// Not a route: autoload must skip test files placed beside routes.
throw new Error('autoload loaded a test file');
