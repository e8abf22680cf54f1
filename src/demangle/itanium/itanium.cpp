// binlens's entry into LLVM's Itanium demangler: the parser and printer of
// llvm/Demangle/ItaniumDemangle.h as Debian's llvm-19-dev ships it (the code
// llvm-cxxfilt-19 runs), compiled to WebAssembly by build.sh. What LLVM keeps
// in ItaniumDemangle.cpp (an arena for the parse tree, the call that prints
// it) is written here: the page asks for one name at a time through a buffer
// in the module's memory.
//
//   bl_input(n)  -> pointer to n bytes to write the mangled name into
//   bl_demangle(n, params) -> length of the text at bl_output(), or -1
//   bl_output()  -> pointer to the last text

#include "llvm/Demangle/ItaniumDemangle.h"

#include <cstdlib>
#include <cstring>

// <discriminator> of a local name (Itanium C++ ABI 5.1.6): "_" and one digit,
// or "__", a number and "_"; a run of digits that ends the name is taken too
// (an old GCC form). The parser skips it: LLVM prints no discriminator.
const char *llvm::itanium_demangle::parse_discriminator(const char *first, const char *last) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (first == last) return first;
  if (*first == '_') {
    const char *p = first + 1;
    if (p == last) return first;
    if (digit(*p)) return p + 1;
    if (*p != '_') return first;
    for (++p; p != last && digit(*p); ++p) {
    }
    return p != last && *p == '_' ? p + 1 : first;
  }
  if (digit(*first)) {
    const char *p = first;
    while (p != last && digit(*p)) ++p;
    return p == last ? last : first;
  }
  return first;
}

// Parse-tree nodes have virtual destructors but are never deleted (the arena
// frees them); these satisfy the linker without bringing in libc++abi.
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, size_t) noexcept { std::free(p); }

using llvm::itanium_demangle::ManglingParser;
using llvm::itanium_demangle::Node;
using llvm::itanium_demangle::OutputBuffer;

namespace {

// Parse-tree nodes are never freed one by one: every block goes at once when
// the next name starts, as LLVM's BumpPointerAllocator does.
class Arena {
  struct Block {
    Block *prev;
    size_t size;
    size_t used;
  };
  static constexpr size_t kAlign = 16;
  static constexpr size_t kHeader = (sizeof(Block) + kAlign - 1) & ~(kAlign - 1);
  static constexpr size_t kBlock = 64 * 1024;
  Block *head = nullptr;

public:
  void *allocate(size_t n) {
    n = (n + kAlign - 1) & ~(kAlign - 1);
    if (head == nullptr || head->used + n > head->size) {
      size_t size = n > kBlock ? n : kBlock;
      auto *b = static_cast<Block *>(std::malloc(kHeader + size));
      if (b == nullptr) std::abort();
      *b = Block{head, size, 0};
      head = b;
    }
    void *p = reinterpret_cast<char *>(head) + kHeader + head->used;
    head->used += n;
    return p;
  }
  void reset() {
    while (head != nullptr) {
      Block *prev = head->prev;
      std::free(head);
      head = prev;
    }
  }
  ~Arena() { reset(); }

  template <typename T, typename... Args> T *makeNode(Args &&...args) {
    return new (allocate(sizeof(T))) T(std::forward<Args>(args)...);
  }
  void *allocateNodeArray(size_t count) { return allocate(count * sizeof(Node *)); }
};

char *input = nullptr;
size_t inputCapacity = 0;
char *output = nullptr;

}  // namespace

extern "C" {

__attribute__((export_name("bl_input"))) char *bl_input(size_t n) {
  if (n + 1 > inputCapacity) {
    std::free(input);
    inputCapacity = n + 1;
    input = static_cast<char *>(std::malloc(inputCapacity));
    if (input == nullptr) std::abort();
  }
  return input;
}

__attribute__((export_name("bl_output"))) char *bl_output() { return output; }

// Demangles the n bytes at bl_input(); params = 0 leaves out function
// parameters (llvm-cxxfilt --no-params).
__attribute__((export_name("bl_demangle"))) int bl_demangle(size_t n, int params) {
  std::free(output);
  output = nullptr;
  if (n == 0 || n >= inputCapacity) return -1;
  input[n] = '\0';
  ManglingParser<Arena> parser(input, input + n);
  Node *ast = parser.parse(params != 0);
  if (ast == nullptr) return -1;
  OutputBuffer ob;
  ast->print(ob);
  output = ob.getBuffer();
  return static_cast<int>(ob.getCurrentPosition());
}

}  // extern "C"
