// Demangled names on the page: the symbol list shows C++ names as
// llvm-cxxfilt prints them, finds a symbol by either form, shows the raw
// names with one switch; the imports a library is expected to provide are
// demangled too. The demangler is WebAssembly the worker loads on first use.
import { join } from 'node:path';
import { ROOT, expect, test } from './helpers.ts';

const CXX_OBJECT = join(ROOT, 'fixtures', 'names', 'bin', 'cxx-x86_64-linux.o');
const CXX_PROGRAM = join(ROOT, 'fixtures', 'pacbti', 'bin', 'aarch64-cxx-bkey');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('the symbol list shows demangled names, searchable either way, raw with one switch', async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(CXX_OBJECT);
  const symbols = page.getByTestId('symbols');
  await expect(page.getByTestId('symbol-source')).toContainText('shown demangled, as llvm-cxxfilt prints them');
  const search = symbols.getByPlaceholder('Search symbols');
  await search.fill('hidden(int');
  await expect(symbols.locator('.row .name')).toHaveText(['outer::(anonymous namespace)::hidden(int)']);
  await expect(symbols.locator('.row .name')).toHaveAttribute('title', /_ZN5outer12_GLOBAL__N_16hiddenEi/);
  await search.fill('_ZN5outer12_GLOBAL__N');
  await expect(symbols.locator('.row .name')).toHaveText(['outer::(anonymous namespace)::hidden(int)']);
  await search.fill("'lambda'(int)::operator()");
  await expect(symbols.locator('.row .name')).toHaveText(["with_lambdas(int)::'lambda'(int)::operator()(int) const"]);
  await page.getByTestId('raw-names').check();
  await expect(symbols.locator('.row .name')).toHaveText(['_ZZ12with_lambdasiENKUliE_clEi']);
  await page.getByTestId('raw-names').uncheck();
  await expect(symbols.locator('.row .name')).toHaveText(["with_lambdas(int)::'lambda'(int)::operator()(int) const"]);
});

test("a library's expected imports are demangled, versions kept", async ({ page }) => {
  await page.getByTestId('pick-files').setInputFiles(CXX_PROGRAM);
  const lib = page.getByTestId('libraries').locator('li').filter({ hasText: 'libstdc++.so.6' });
  await lib.locator('summary').click();
  const imports = lib.getByTestId('library-imports');
  await expect(imports).toContainText('std::runtime_error::~runtime_error()@GLIBCXX_3.4');
  await expect(imports).not.toContainText('_ZNSt13runtime_errorD1Ev');
});
