#include "fix/Fixers.h"
namespace atm::fix {
namespace {
class DelugeFixer final : public LanguageFixer {
public:
  llvm::StringRef name() const override { return "deluge"; }
  bool handles(Language L) const override { return false; }
  void fix(FileContext &) const override {}
};
}
std::unique_ptr<LanguageFixer> makeDelugeFixer() { return std::make_unique<DelugeFixer>(); }
}
