import { describe, expect, it } from 'vitest';
import {
  cxxNamespace,
  cxxScopes,
  goModule,
  goPackage,
  nameGroup,
  NO_GO_MODULE,
  NO_GO_PACKAGE,
  rustCrate,
  rustLegacyPath,
  rustV0Crate,
  GLOBAL_NAMESPACE,
  NOT_MANGLED,
  SWIFT_NAMES,
} from './names.ts';

describe('Go packages and modules', () => {
  it('the package as debug/gosym reads it: instantiations dropped, escaped dots restored', () => {
    expect(goPackage('main.main')).toBe('main');
    expect(goPackage('runtime.(*mheap).alloc')).toBe('runtime');
    expect(goPackage('github.com/a/b.(*T).M')).toBe('github.com/a/b');
    expect(goPackage('github.com/a/b.c.func1')).toBe('github.com/a/b');
    expect(goPackage('slices.SortFunc[go.shape.[]string,go.shape.func(github.com/x/y.T) int]')).toBe('slices');
    expect(goPackage('gopkg.in/yaml%2ev3.(*parser).parse')).toBe('gopkg.in/yaml.v3');
    // An unescaped dot cuts the path short, unless the build info names the module.
    expect(goPackage('gopkg.in/yaml.v3.(*parser).parse')).toBe('gopkg.in/yaml');
    expect(goPackage('gopkg.in/yaml.v3.(*parser).parse', ['gopkg.in/yaml.v3'])).toBe('gopkg.in/yaml.v3');
    expect(goPackage('type:.eq.[2]interface {}')).toBe('');
    expect(goPackage('go:buildid')).toBe('');
    expect(goPackage('type..eq.main.T')).toBe('');
    expect(goPackage('x_cgo_init')).toBe('');
    expect(goPackage('_rt0_arm64_linux')).toBe('');
  });

  it('modules: std by the first element, the longest module path of the build info, unknown as such', () => {
    const mods = {
      main: 'example.com/app',
      deps: ['github.com/a/b', 'github.com/a/b/v2', 'golang.org/x/sys'],
      path: 'example.com/app/cmd/app',
    };
    expect(goModule('runtime', mods)).toEqual({ name: 'std', kind: 'std' });
    expect(goModule('vendor/golang.org/x/net/http2/hpack', mods)).toEqual({ name: 'std', kind: 'std' });
    expect(goModule('main', mods)).toEqual({ name: 'example.com/app', kind: 'main' });
    expect(goModule('example.com/app/internal/x', mods)).toEqual({ name: 'example.com/app', kind: 'main' });
    expect(goModule('github.com/a/b/v2/c', mods)).toEqual({ name: 'github.com/a/b/v2', kind: 'dependency' });
    expect(goModule('github.com/a/bc', mods)).toEqual({ name: NO_GO_MODULE, kind: 'unknown' });
    expect(goModule('golang.org/x/sys/unix', mods)).toEqual({ name: 'golang.org/x/sys', kind: 'dependency' });
    expect(goModule('', mods)).toEqual({ name: NO_GO_PACKAGE, kind: 'unknown' });
    expect(goModule('main', { main: null, deps: [], path: 'github.com/r/r/cmd/r' })).toEqual({
      name: 'github.com/r/r/cmd/r',
      kind: 'main',
    });
    expect(goModule('', mods, true).kind).toBe('generated');
  });
});

describe('Rust crates', () => {
  it('the first path segment; the type of <Type as Trait>, or the trait when the type names none', () => {
    expect(rustCrate('core::fmt::write')).toBe('core');
    expect(rustCrate('<alloc::string::String>::len')).toBe('alloc');
    expect(rustCrate('<names::shapes::Square<f64> as names::shapes::Area>::area')).toBe('names');
    expect(rustCrate('<T as core::convert::Into<U>>::into')).toBe('core');
    expect(rustCrate('<&mut serde_json::Value as core::fmt::Debug>::fmt')).toBe('serde_json');
    expect(rustCrate('<[u8]>::len')).toBe(null);
    expect(rustCrate('main')).toBe(null);
  });

  it("legacy names as LLVM prints them keep rustc's escapes: read through them", () => {
    expect(rustLegacyPath('_$LT$T$u20$as$u20$core..convert..Into$LT$U$GT$$GT$::into::h03ca4c85779f80e4')).toBe(
      '<T as core::convert::Into<U>>::into',
    );
    expect(rustCrate('_$LT$T$u20$as$u20$core..convert..Into$LT$U$GT$$GT$::into::h03ca4c85779f80e4', true)).toBe('core');
    expect(rustCrate('alloc::str::_$LT$impl$u20$alloc..borrow..ToOwned$u20$for$u20$str$GT$::to_owned::h53a2e18df1c359a3', true)).toBe(
      'alloc',
    );
  });

  it('v0 names carry their crate root: read from the mangled name', () => {
    expect(rustV0Crate('_RNvCs1234_5crate4main')).toBe('crate');
    expect(rustV0Crate('_RNvNtCs5abc_4core3ptr13drop_in_place')).toBe('core');
    // <*const ()>::is_aligned_to: an inherent impl, M, in core::ptr::const_ptr
    expect(rustV0Crate('_RNvMNtNtCsd1_4core3ptr9const_ptrPu13is_aligned_to')).toBe('core');
    expect(rustV0Crate('_RNvYNtCs1_5alloc6StringNtCs2_4core5Clone5clone')).toBe(null);
    expect(rustV0Crate('_ZN4core3fmt5write17h0123456789abcdefE')).toBe(null);
  });
});

describe('C++ namespaces', () => {
  it('the outermost scope, past return types, templates, operators, lambdas and special names', () => {
    expect(cxxNamespace('outer::Base::f(int) const')).toBe('outer');
    expect(cxxNamespace('long outer::Box<int, 3>::as<long>() const')).toBe('outer');
    expect(cxxScopes('long outer::Box<int, 3>::as<long>() const')).toEqual(['outer', 'Box<int, 3>']);
    expect(cxxNamespace('outer::Box<int, 3>::operator<<(int)')).toBe('outer');
    expect(cxxNamespace('outer::Box<int, 3>::operator bool() const')).toBe('outer');
    expect(cxxNamespace('outer::(anonymous namespace)::hidden(int)')).toBe('outer');
    expect(cxxNamespace('(anonymous namespace)::hidden(int)')).toBe('(anonymous namespace)');
    expect(cxxNamespace('vtable for outer::Derived')).toBe('outer');
    expect(cxxNamespace('non-virtual thunk to outer::Derived::~Derived()')).toBe('outer');
    expect(cxxNamespace('guard variable for outer::guarded()::g')).toBe('outer');
    expect(cxxNamespace('std::__1::basic_string<char, std::__1::char_traits<char>>::size() const')).toBe('std');
    expect(cxxNamespace("auto with_lambdas(int)::'lambda'(auto)::operator()<int>(auto) const")).toBe(null);
    expect(cxxNamespace('operator new(unsigned long, outer::Vec*)')).toBe(null);
    expect(cxxNamespace('use_all()::$_0::operator()(int) const')).toBe(null);
    expect(cxxNamespace('main')).toBe(null);
    expect(cxxScopes('outer::Box<int, 3>::operator<<(int)')).toEqual(['outer', 'Box<int, 3>']);
    expect(cxxScopes('bool outer::operator<(outer::Vec const&, outer::Vec const&)')).toEqual(['outer']);
    expect(cxxScopes('outer::X::operator std::string() const')[0]).toBe('outer');
  });
});

describe('the group of a symbol name', () => {
  it('by its scheme: crate, namespace, or a named group for the rest', () => {
    expect(nameGroup('_ZN5outer4Base1fEi', 'outer::Base::f(int)', 'elf')).toEqual({ kind: 'namespace', name: 'outer' });
    expect(nameGroup('__ZN5outer4Base1fEi', 'outer::Base::f(int)', 'macho')).toEqual({ kind: 'namespace', name: 'outer' });
    expect(nameGroup('_Z7use_allv', 'use_all()', 'elf')).toEqual({ kind: 'namespace', name: GLOBAL_NAMESPACE });
    expect(nameGroup('_ZN4core3fmt5write17h0123456789abcdefE', 'core::fmt::write::h0123456789abcdef', 'elf')).toEqual({
      kind: 'crate',
      name: 'core',
    });
    expect(nameGroup('_RNvCs1234_5names4main', 'names::main', 'elf')).toEqual({ kind: 'crate', name: 'names' });
    expect(nameGroup('memcpy', null, 'elf')).toEqual({ kind: 'names', name: NOT_MANGLED });
    expect(nameGroup('$s4main3FooV', null, 'elf')).toEqual({ kind: 'names', name: SWIFT_NAMES });
    expect(nameGroup('_ZN5outer4Base1fEi', null, 'elf').kind).toBe('names');
  });
});
