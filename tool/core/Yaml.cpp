#include "core/Yaml.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace atm {

namespace {
std::string renderDiag(llvm::SourceMgr &SM, llvm::SMLoc Loc, const llvm::Twine &Msg,
                       llvm::StringRef Path) {
  if (!Loc.isValid())
    return (Path + ": " + Msg).str();
  auto LC = SM.getLineAndColumn(Loc);
  return (Path + ":" + llvm::Twine(LC.first) + ":" + llvm::Twine(LC.second) + ": " + Msg)
      .str();
}
} // namespace

llvm::Expected<std::unique_ptr<YamlFile>> YamlFile::load(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  return parse((*Buf)->getBuffer(), Path);
}

llvm::Expected<std::unique_ptr<YamlFile>> YamlFile::parse(llvm::StringRef Content,
                                                          llvm::StringRef Name) {
  std::unique_ptr<YamlFile> F(new YamlFile());
  F->Path = Name.str();
  auto Buf = llvm::MemoryBuffer::getMemBufferCopy(Content, Name);
  llvm::StringRef Text = Buf->getBuffer();
  F->SM.AddNewSourceBuffer(std::move(Buf), llvm::SMLoc());
  // Capture parser diagnostics instead of printing them (into the file object: the
  // handler outlives this function).
  std::string &FirstError = F->Diag;
  F->SM.setDiagHandler(
      [](const llvm::SMDiagnostic &D, void *Ctx) {
        auto *S = static_cast<std::string *>(Ctx);
        if (S->empty())
          *S = (llvm::Twine(D.getLineNo()) + ":" + llvm::Twine(D.getColumnNo() + 1) +
                ": " + D.getMessage())
                   .str();
      },
      &FirstError);
  // llvm::yaml nodes are parsed lazily and can be iterated only once, so a first,
  // throw-away stream walks the whole document to surface syntax errors up front, and a
  // second stream is handed to the caller.
  {
    llvm::yaml::Stream Check(Text, F->SM);
    std::function<void(llvm::yaml::Node *)> Walk = [&](llvm::yaml::Node *N) {
      if (!N)
        return;
      if (auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(N))
        for (auto &KV : *M) {
          Walk(KV.getKey());
          Walk(KV.getValue());
        }
      else if (auto *S = llvm::dyn_cast<llvm::yaml::SequenceNode>(N))
        for (auto &C : *S)
          Walk(&C);
    };
    for (auto &Doc : Check)
      Walk(Doc.getRoot());
    if (!FirstError.empty() || Check.failed())
      return llvm::createStringError(
          std::errc::invalid_argument, "%s:%s", Name.str().c_str(),
          FirstError.empty() ? " invalid YAML" : FirstError.c_str());
  }
  F->Stream = std::make_unique<llvm::yaml::Stream>(Text, F->SM);
  auto It = F->Stream->begin();
  llvm::yaml::Node *RootNode = It != F->Stream->end() ? It->getRoot() : nullptr;
  auto *Map = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(RootNode);
  if (!Map)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s:1:1: expected a YAML mapping at the top level",
                                   Name.str().c_str());
  F->Root = Map;
  return F;
}

llvm::Error YamlFile::error(const llvm::yaml::Node *N, const llvm::Twine &Msg) const {
  llvm::SMLoc Loc = N ? N->getSourceRange().Start : llvm::SMLoc();
  return llvm::createStringError(std::errc::invalid_argument, "%s",
                                 renderDiag(const_cast<llvm::SourceMgr &>(SM), Loc,
                                            Msg, Path)
                                     .c_str());
}

unsigned YamlFile::line(const llvm::yaml::Node *N) const {
  if (!N)
    return 0;
  return SM.getLineAndColumn(N->getSourceRange().Start).first;
}

llvm::Expected<std::string> YamlFile::scalar(llvm::yaml::Node *N) const {
  if (auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N)) {
    llvm::SmallString<128> Storage;
    std::string V = S->getValue(Storage).str();
    if (!Diag.empty()) { // an invalid escape in a double-quoted scalar
      std::string Msg = Diag;
      Diag.clear();
      return llvm::createStringError(std::errc::invalid_argument, "%s:%s", Path.c_str(),
                                     Msg.c_str());
    }
    return V;
  }
  if (auto *B = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
    return B->getValue().str();
  return error(N, "expected a scalar value");
}

llvm::Expected<std::vector<std::string>>
YamlFile::scalarList(llvm::yaml::Node *N) const {
  std::vector<std::string> Out;
  if (auto *Seq = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(N)) {
    for (auto &C : *Seq) {
      auto V = scalar(&C);
      if (!V)
        return V.takeError();
      Out.push_back(std::move(*V));
    }
    return Out;
  }
  auto V = scalar(N);
  if (!V)
    return V.takeError();
  Out.push_back(std::move(*V));
  return Out;
}

llvm::Expected<std::string> YamlFile::key(llvm::yaml::KeyValueNode &KV) const {
  return scalar(KV.getKey());
}

llvm::Error
forEachKey(const YamlFile &F, llvm::yaml::Node *N, llvm::ArrayRef<llvm::StringRef> Known,
           llvm::function_ref<llvm::Error(llvm::StringRef, llvm::yaml::KeyValueNode &)> Fn) {
  auto *M = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(N);
  if (!M)
    return F.error(N, "expected a mapping");
  for (llvm::yaml::KeyValueNode &KV : *M) {
    auto K = F.key(KV);
    if (!K)
      return K.takeError();
    if (!llvm::is_contained(Known, llvm::StringRef(*K)))
      return F.error(KV.getKey(), "unknown key '" + *K + "'" + didYouMean(*K, Known));
    if (auto E = Fn(*K, KV))
      return E;
  }
  return llvm::Error::success();
}

std::string didYouMean(llvm::StringRef Got, llvm::ArrayRef<llvm::StringRef> Known) {
  unsigned Best = ~0u;
  llvm::StringRef BestName;
  for (llvm::StringRef K : Known) {
    unsigned D = Got.edit_distance(K, true, 3);
    if (D < Best) {
      Best = D;
      BestName = K;
    }
  }
  if (Best <= 3 && !BestName.empty())
    return ("; did you mean '" + BestName + "'?").str();
  return "";
}

} // namespace atm
