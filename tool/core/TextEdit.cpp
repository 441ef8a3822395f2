#include "core/TextEdit.h"

#include <algorithm>
#include <tuple>

namespace atm {

bool applyEdits(std::string &Text, std::vector<TextEdit> Edits) {
  std::sort(Edits.begin(), Edits.end(), [](const TextEdit &A, const TextEdit &B) {
    return std::tie(A.Offset, A.Length, A.Text) < std::tie(B.Offset, B.Length, B.Text);
  });
  Edits.erase(std::unique(Edits.begin(), Edits.end(),
                          [](const TextEdit &A, const TextEdit &B) {
                            return A.Offset == B.Offset && A.Length == B.Length &&
                                   A.Text == B.Text;
                          }),
              Edits.end());
  for (size_t I = 0; I < Edits.size(); ++I) {
    if (Edits[I].Offset + Edits[I].Length > Text.size())
      return false;
    if (I && Edits[I - 1].Offset + Edits[I - 1].Length > Edits[I].Offset)
      return false;
  }
  for (size_t I = Edits.size(); I-- > 0;)
    Text.replace(Edits[I].Offset, Edits[I].Length, Edits[I].Text);
  return true;
}

} // namespace atm
