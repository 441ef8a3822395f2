#pragma once
/// \file
/// Product and data-centre attribution from the request a finding belongs to.
///
/// A front end describes where a finding sits as a RequestContext: byte ranges of the
/// file from the narrowest scope (the literal the anchor is in, the URL expression built
/// from it) to the widest (statement, enclosing blocks). Today the lexer-level
/// approximation in tool/rules/LexicalContext computes it; a syntax-tree front end can
/// fill the same structure exactly. attribute() then applies one order for every
/// language: the first level that holds evidence decides; two different products (or
/// data centres) at that level are a conflict, never a guess; the whole file counts only
/// when it names exactly one.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/Catalog.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// A half-open byte range of a file.
struct ByteRange {
  size_t Begin = 0;
  size_t End = 0;
  bool contains(size_t Offset) const { return Offset >= Begin && Offset < End; }
  bool operator==(const ByteRange &O) const { return Begin == O.Begin && End == O.End; }
};

/// What one level of a RequestContext is (for tests, debugging and the report).
enum class ContextLevel : uint8_t {
  Literal,    ///< the string / value / comment the anchor is in
  Expression, ///< the URL expression: concatenated literals, the definitions of the
              ///< variables and constants it uses
  Group,      ///< a bracketed group the anchor is in (object literal, dict, argument
              ///< list), innermost first, with the definitions it uses
  Statement,  ///< the statement, with the definitions of the identifiers it uses
  Consumer,   ///< the statements that send what the statement builds (`m.put(…)` then
              ///< `postUrl(url, m)`; `data = {…}` then `post(BASE + "…", data=data)`)
  Block,      ///< an enclosing function / block (innermost first), a Markdown code block
              ///< or paragraph, a config section; with the definitions it uses
  Section,    ///< a Markdown section (heading to next heading), an INI/TOML table
  File,       ///< the whole file (implicit: never stored in a RequestContext)
};

llvm::StringRef contextLevelName(ContextLevel L);

/// Where a finding sits in the request being built; narrowest level first. A level may
/// hold several ranges (a literal and the definitions of the constants it is joined
/// with). Levels with no ranges are skipped. The whole file is always the last level.
struct RequestContext {
  struct Level {
    ContextLevel Kind = ContextLevel::Statement;
    std::vector<ByteRange> Ranges;
  };
  std::vector<Level> Levels;

  RequestContext &add(ContextLevel K, std::vector<ByteRange> Ranges) {
    Levels.push_back({K, std::move(Ranges)});
    return *this;
  }
};

/// The outcome of attribute().
struct Attribution {
  const Product *Prod = nullptr;             ///< null: no evidence, or a conflict
  std::vector<std::string> ProductCandidates; ///< ids (sorted) when the evidence conflicts
  std::string DataCentre;                    ///< "" when not visible or conflicting
  std::vector<std::string> DcCandidates;     ///< ids (sorted) when the evidence conflicts
  ContextLevel ProductLevel = ContextLevel::File; ///< the level that decided the product
  ContextLevel DcLevel = ContextLevel::File;      ///< the level that decided the DC
  bool ProductDecided = false; ///< some level held product evidence (Prod or candidates)
  bool DcDecided = false;
};

/// Resolves product and data centre from \p Evidence (sorted by offset, as
/// Catalog::findEvidence returns it) in the order of \p Ctx's levels, then the whole
/// file. Product and data centre are resolved independently: a DC-only host
/// (accounts.zoho.eu) says nothing about the product; scope and keyword mentions say
/// nothing about the data centre.
Attribution attribute(llvm::ArrayRef<Evidence> Evidence, const RequestContext &Ctx);

/// Whether level \p L holds product / data-centre evidence (a front end building the
/// context level by level stops once both are decided).
struct LevelEvidence {
  bool Product = false;
  bool DataCentre = false;
};
LevelEvidence evidenceAt(llvm::ArrayRef<Evidence> Evidence, const RequestContext::Level &L);

} // namespace atm
