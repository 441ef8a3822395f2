#include "discover/Root.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace atm {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

std::string realAbsolutePath(llvm::StringRef P, llvm::StringRef Cwd) {
  llvm::SmallString<256> Abs(P);
  if (!path::is_absolute(Abs)) {
    llvm::SmallString<256> Base(Cwd);
    path::append(Base, P);
    Abs = Base;
  }
  path::remove_dots(Abs, /*remove_dot_dot=*/false);
  llvm::SmallString<256> Real;
  if (!fs::real_path(Abs, Real))
    return std::string(Real.str());
  path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs.str());
}

std::string gitWorkTreeTop(llvm::StringRef AbsPath) {
  llvm::SmallString<256> Dir(AbsPath);
  if (!fs::is_directory(Dir))
    path::remove_filename(Dir);
  while (!Dir.empty()) {
    llvm::SmallString<256> Git(Dir);
    path::append(Git, ".git");
    if (fs::exists(Git))
      return std::string(Dir.str());
    llvm::StringRef Parent = path::parent_path(Dir);
    if (Parent == Dir || Parent.empty())
      break;
    Dir = Parent;
  }
  return "";
}

bool relativeUnder(llvm::StringRef AbsPath, llvm::StringRef AbsDir, std::string &Rel) {
  llvm::StringRef D = AbsDir;
  if (D.size() > 1 && D.endswith("/"))
    D = D.drop_back();
  if (AbsPath == D) {
    Rel.clear();
    return true;
  }
  if (D == "/") {
    Rel = AbsPath.drop_front().str();
    return true;
  }
  if (!AbsPath.startswith(D) || AbsPath.size() <= D.size() || AbsPath[D.size()] != '/')
    return false;
  Rel = AbsPath.drop_front(D.size() + 1).str();
  return true;
}

namespace {
/// The deepest directory holding both \p A and \p B (absolute, no trailing '/').
std::string commonAncestor(llvm::StringRef A, llvm::StringRef B) {
  llvm::SmallVector<llvm::StringRef, 16> CA, CB;
  A.split(CA, '/', -1, false);
  B.split(CB, '/', -1, false);
  std::string Out;
  for (size_t I = 0; I < CA.size() && I < CB.size() && CA[I] == CB[I]; ++I)
    Out += "/" + CA[I].str();
  return Out.empty() ? "/" : Out;
}
} // namespace

llvm::Expected<std::string> findScanRoot(llvm::ArrayRef<std::string> Paths,
                                         llvm::StringRef Override, llvm::StringRef Cwd) {
  std::vector<std::string> Abs;
  for (const std::string &P : Paths)
    if (P != "-")
      Abs.push_back(realAbsolutePath(P, Cwd));
  std::string CwdReal = realAbsolutePath(".", Cwd);
  if (!Override.empty()) {
    std::string Root = realAbsolutePath(Override, Cwd);
    if (!fs::is_directory(Root))
      return llvm::createStringError(std::errc::not_a_directory,
                                     "--root: '%s' is not a directory",
                                     Override.str().c_str());
    std::string Rel;
    for (size_t I = 0; I < Abs.size(); ++I)
      if (!relativeUnder(Abs[I], Root, Rel))
        return llvm::createStringError(std::errc::invalid_argument,
                                       "%s: outside the --root directory %s",
                                       Paths[I].c_str(), Root.c_str());
    return Root;
  }
  if (Abs.empty())
    Abs.push_back(CwdReal);
  std::string Top = gitWorkTreeTop(Abs.front());
  bool SameTop = !Top.empty();
  for (const std::string &A : Abs)
    if (SameTop && gitWorkTreeTop(A) != Top)
      SameTop = false;
  if (SameTop)
    return Top;
  std::string Rel;
  bool UnderCwd = true;
  for (const std::string &A : Abs)
    UnderCwd &= relativeUnder(A, CwdReal, Rel);
  if (UnderCwd)
    return CwdReal;
  std::string Root = Abs.front();
  if (!fs::is_directory(Root))
    Root = path::parent_path(Root).str();
  for (const std::string &A : Abs)
    Root = commonAncestor(Root, A);
  return Root;
}

std::string pathFromCwd(llvm::StringRef AbsPath, llvm::StringRef Cwd) {
  std::string Rel;
  if (relativeUnder(AbsPath, Cwd, Rel))
    return Rel.empty() ? "." : Rel;
  // Up to two levels up reads better than an absolute path.
  llvm::StringRef Dir = Cwd;
  std::string Up;
  for (int I = 0; I < 2; ++I) {
    Dir = path::parent_path(Dir);
    if (Dir.empty())
      break;
    Up += "../";
    if (relativeUnder(AbsPath, Dir, Rel) && Dir != "/")
      return Up + Rel;
  }
  return AbsPath.str();
}

} // namespace atm
