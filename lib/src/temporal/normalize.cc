// temporal/normalize.cc: the value functions named in temporal grammars.
//
// Each function takes its arguments as strings (capture values: lexicon values, class values or
// the case-folded text) where "" means "not matched", and writes a TimeML value. Relative values
// come from the narrative anchor or the document creation time; when neither is known the value
// is a TimeML reference (PAST_REF, PRESENT_REF, FUTURE_REF) or keeps X placeholders
// ("XXXX-04-12"), and is marked unresolved: nothing is ever guessed.
#include "temporal/normalize.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace quarry::internal {
namespace {

bool ToInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  if (s[0] == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Digits at the start of s ("3rd" -> 3).
bool LeadingInt(std::string_view s, int& out) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  return n > 0 && ToInt(s.substr(0, n), out);
}

std::string Pad(int v, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*d", width, v);
  return buf;
}

std::string YearString(int y) {
  if (y < 0) return "BC" + Pad(-y, 4);
  return Pad(y, 4);
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 31;  // no month (a year alone): no constraint on the day
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[(m - 1) % 12];
}

// The reference date for anaphoric expressions: the anchor, else the DCT.
Ymd Anaphoric(const NormContext& c) { return c.anchor.valid() ? c.anchor : c.dct; }
// The reference for deictic expressions ("last year"): the DCT unless the text is narrative.
Ymd Deictic(const NormContext& c) {
  if (c.narrative && !c.dct.valid()) return c.anchor;
  return c.dct;
}

// In news (a DCT, not narrative) a date without a year is placed around the DCT, unless an
// explicit date earlier in its sentence gave the year.
bool AroundDct(const NormContext& c) { return !c.narrative && c.dct.valid() && !c.anchor_here; }

// The year of month m (and day d, 0 if none) seen from the DCT in the direction of the tense:
// past -> on or before the DCT, future -> on or after, unknown -> the nearer of the two (ties to
// the past).
int YearAround(const NormContext& c, int m, int d) {
  const Ymd& t = c.dct;
  int key = m * 32 + d, now = t.m * 32 + (d ? t.d : 0);
  if (!t.m) return t.y;
  if (d && t.d && c.tense != 0) {
    // A day within two months of the DCT is that one, whatever the tense says: news reports
    // the days around its date, and a verb nearby may belong to another clause.
    long dct = DaysFromCivil(t.y, t.m, t.d);
    for (int y : {t.y, t.y - 1, t.y + 1}) {
      if (d > DaysInMonth(y, m)) continue;
      long x = DaysFromCivil(y, m, d);
      if (std::labs(x - dct) <= 60) return y;
    }
  }
  if (c.tense < 0) return key > now ? t.y - 1 : t.y;
  if (c.tense > 0) return key < now ? t.y + 1 : t.y;
  if (key == now) return t.y;
  if (d && t.d) {
    // No tense: the nearest of the three (ties to the past).
    long dct = DaysFromCivil(t.y, t.m, t.d);
    int best = t.y;
    long best_dist = -1;
    for (int y : {t.y - 1, t.y, t.y + 1}) {
      if (d > DaysInMonth(y, m)) continue;
      long dist = std::labs(DaysFromCivil(y, m, d) - dct);
      if (best_dist < 0 || dist < best_dist) {
        best = y;
        best_dist = dist;
      }
    }
    return best;
  }
  // Months forward and back to the same month.
  int fwd = (m - t.m + 12) % 12, back = (t.m - m + 12) % 12;
  if (key > now) return fwd < back ? t.y : t.y - 1;
  return back <= fwd ? t.y : t.y + 1;
}

// "last/next/this" + a month (day) of the year: which = DLAST, DNEXT or DTHIS, placed around
// the DCT (the anchor in narrative); out.value = YEAR-suffix, or a reference value without one.
void YearByWhich(const NormContext& c, std::string_view which, int m, int d,
                 const std::string& suffix, NormResult& out) {
  Ymd ref = c.narrative || !c.dct.valid() ? Anaphoric(c) : c.dct;
  if (c.news && !c.dct.valid()) ref = Ymd();
  if (!ref.valid() || !ref.m) {
    out.value = which == "DNEXT" ? "FUTURE_REF" : which == "DLAST" ? "PAST_REF" : "XXXX-" + suffix;
    out.unresolved = true;
    return;
  }
  int y = ref.y;
  int key = m * 32 + d, now = ref.m * 32 + (d ? ref.d : 0);
  if (which == "DLAST" && key >= now) --y;
  if (which == "DNEXT" && key <= now) ++y;
  out.value = YearString(y) + "-" + suffix;
  out.anchor = FormatYmd(ref);
}

// `n` as a count: digits, "X" (vague) or empty (1).
std::string Count(std::string_view n) {
  if (n.empty()) return "1";
  int v;
  if (ToInt(n, v)) return std::to_string(v);
  if (n.find('.') != std::string_view::npos) return std::string(n);  // "0.5", ".5"
  return "X";
}

// A deictic year written "DY-1", "DY0", "DY1" ("last year", "this year", "next year" in
// "July last year", "the first half of next year"): the year of the time of writing (the DCT in
// news, the anchor otherwise) plus the offset. False when `ys` is no such year; *y is 0 when
// there is nothing to count from.
bool DeicticYear(std::string_view ys, const NormContext& c, int& y, NormResult& out) {
  if (!ys.starts_with("DY")) return false;
  int off = 0;
  if (!ToInt(ys.substr(2), off)) return false;
  Ymd ref = Deictic(c);
  if (c.news && !c.dct.valid()) ref = Ymd();
  if (!ref.valid()) {
    y = 0;
    out.unresolved = true;
    return true;
  }
  y = ref.y + off;
  out.anchor = FormatYmd(ref);
  return true;
}

// date(y, m, d): any part may be empty. A month without a year takes the anchor's year.
void FnDate(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  if (a.size() > 1 && a[1] == "THANKSGIVING") {
    // The fourth Thursday of November: the year first (as for November 25), then the day.
    FnDate({a[0], "11", "25"}, c, out);
    Ymd d = ParseDateValue(out.value);
    if (d.valid() && d.m == 11) {
      long first = DaysFromCivil(d.y, 11, 1);
      int dow = IsoWeekday(first);
      int day = 1 + (4 - dow + 7) % 7 + 21;
      out.value = YearString(d.y) + "-11-" + Pad(day, 2);
    }
    return;
  }
  std::string_view ys = a[0], ms = a.size() > 1 ? a[1] : "", ds = a.size() > 2 ? a[2] : "";
  if (ds.empty() && ms.size() == 5 && ms[2] == '-') {  // "12-25" from a lexicon of holidays
    ds = ms.substr(3);
    ms = ms.substr(0, 2);
  }
  int y = 0, m = 0, d = 0;
  if ((ys == "DLAST" || ys == "DNEXT" || ys == "DTHIS") && ToInt(ms, m) && m >= 1 && m <= 12) {
    // "last November", "next June", "this December".
    LeadingInt(ds, d);
    std::string suffix = Pad(m, 2) + (d >= 1 && d <= 31 ? "-" + Pad(d, 2) : "");
    YearByWhich(c, ys, m, d, suffix, out);
    return;
  }
  if ((ys == "NEXT" || ys == "PREV") && ToInt(ms, m)) {
    // "the following April": the next April after the anchor (the previous one for PREV).
    Ymd ref = Anaphoric(c);
    if (!ref.valid() || !ref.m) {
      out.value = ys == "NEXT" ? "FUTURE_REF" : "PAST_REF";
      out.unresolved = !ref.valid();
      return;
    }
    y = ref.y;
    if (ys == "NEXT" && m <= ref.m) ++y;
    if (ys == "PREV" && m >= ref.m) --y;
    out.value = YearString(y) + "-" + Pad(m, 2);
    out.anchor = FormatYmd(ref);
    out.sets_anchor = true;
    return;
  }
  if (int dy = 0; DeicticYear(ys, c, dy, out)) {
    // "July last year", "January this year".
    bool hm = ToInt(ms, m) && m >= 1 && m <= 12, hd = LeadingInt(ds, d) && d >= 1 && d <= 31;
    out.value = (dy ? YearString(dy) : std::string("XXXX")) + (hm ? "-" + Pad(m, 2) : "") +
                (hm && hd ? "-" + Pad(d, 2) : "");
    out.sets_anchor = dy != 0;
    return;
  }
  bool has_y = LeadingInt(ys, y), has_m = ToInt(ms, m), has_d = LeadingInt(ds, d);
  if (has_m && (m < 1 || m > 12)) has_m = false;
  if (has_d && (d < 1 || d > 31)) has_d = false;
  std::string ypart;
  if (has_y) {
    if (ys.size() <= 2) {
      // Two-digit year ("'96"): the anchor's century, else the 1900s.
      Ymd ref = Anaphoric(c);
      int century = ref.valid() && ref.y > 0 ? ref.y / 100 * 100 : 1900;
      y += century;
    }
    ypart = YearString(y);
  } else if (has_m && AroundDct(c)) {
    y = YearAround(c, m, has_d ? d : 0);
    has_y = true;
    ypart = YearString(y);
    out.anchor = FormatYmd(c.dct);
  } else {
    Ymd ref = Anaphoric(c);
    if (ref.valid() && !(c.news && !c.dct.valid() && !c.anchor.valid())) {
      y = ref.y;
      has_y = true;
      ypart = YearString(y);
      out.anchor = FormatYmd(ref);
    } else {
      ypart = "XXXX";
      out.unresolved = true;
    }
  }
  out.value = ypart;
  if (has_m) {
    out.value += "-" + Pad(m, 2);
    if (has_d) out.value += "-" + Pad(d, 2);
  } else if (has_d) {
    // A bare day ("on the 14th"): the anchor's month.
    Ymd ref = Anaphoric(c);
    if (ref.valid() && ref.m) {
      out.value = YearString(ref.y) + "-" + Pad(ref.m, 2) + "-" + Pad(d, 2);
      out.anchor = FormatYmd(ref);
    } else {
      out.value = "XXXX-XX-" + Pad(d, 2);
      out.unresolved = true;
    }
  }
  out.sets_anchor = has_y;
  out.explicit_year = !ys.empty() && has_y;
}

// lit(v): the argument is the value ("2001-09-11" from a lexicon of named dates).
void FnLit(const std::vector<std::string_view>& a, const NormContext&, NormResult& out) {
  out.value = std::string(a[0]);
  out.sets_anchor = out.explicit_year = ParseDateValue(out.value).valid();
}

// yearwords(c, t [, m]): "nineteen ninety-seven" is c 19, t 97: 1997; "January nineteen
// ninety-seven" adds the month.
void FnYearWords(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  int h = 0, t = 0;
  if (!ToInt(a[0], h) || (!a[1].empty() && !ToInt(a[1], t)) || t < 0 || t > 99) {
    out.value = "XXXX";
    out.unresolved = true;
    return;
  }
  std::string y = std::to_string(h * 100 + t);
  std::vector<std::string_view> d{y};
  if (a.size() > 2 && !a[2].empty()) d.push_back(a[2]);
  FnDate(d, c, out);
}

// bc(y): a year before Christ, "BC0480".
void FnBc(const std::vector<std::string_view>& a, const NormContext&, NormResult& out) {
  int y;
  if (!LeadingInt(a[0], y)) {
    out.value = "BCXXXX";
    out.unresolved = true;
    return;
  }
  out.value = "BC" + Pad(y, 4);
  out.explicit_year = true;
  int m = 0, d = 0;
  if (a.size() > 1 && ToInt(a[1], m) && m >= 1 && m <= 12) {
    out.value += "-" + Pad(m, 2);
    if (a.size() > 2 && LeadingInt(a[2], d) && d >= 1 && d <= 31) out.value += "-" + Pad(d, 2);
  }
  out.sets_anchor = true;
}

// decade(x [, era]): x is the decade class value ("199" for the 1990s, "9" for the '90s).
void FnDecade(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  std::string_view x = a[0];
  bool bc = a.size() > 1 && !a[1].empty();
  if (x.size() == 1) {
    Ymd ref = Anaphoric(c);
    std::string century = ref.valid() && ref.y > 0 ? Pad(ref.y / 100, 2) : "19";
    out.value = century + std::string(x);
    return;
  }
  out.value = bc ? "BC" + std::string(x.size() < 3 ? 3 - x.size() : 0, '0') + std::string(x)
                 : std::string(x);
}

// century(n [, era]): the 20th century -> "19".
void FnCentury(const std::vector<std::string_view>& a, const NormContext&, NormResult& out) {
  int n;
  if (!LeadingInt(a[0], n) || n < 1) {
    out.value = "XX";
    out.unresolved = true;
    return;
  }
  bool bc = a.size() > 1 && !a[1].empty();
  out.value = (bc ? "BC" : "") + Pad(n - 1, 2);
}

// Appends a suffix to a year given or taken from the anchor: season, half, quarter (with no
// suffix, the year alone).
void YearSuffix(std::string_view ys, std::string_view suffix, const NormContext& c,
                NormResult& out) {
  int y;
  if (DeicticYear(ys, c, y, out)) {
    out.value = y ? YearString(y) : std::string("XXXX");
    out.sets_anchor = y != 0;
  } else if (LeadingInt(ys, y)) {
    out.value = YearString(y);
    out.sets_anchor = out.explicit_year = true;
  } else {
    Ymd ref = Anaphoric(c);
    if (ref.valid()) {
      out.value = YearString(ref.y);
      out.anchor = FormatYmd(ref);
    } else {
      out.value = "XXXX";
      out.unresolved = true;
    }
  }
  if (suffix.empty()) return;
  out.value += "-";
  out.value += suffix;
}

// The quarter `shift` quarters from the one the DCT (else the anchor) falls in: -1 "the latest
// quarter", 0 "the current quarter", 1 "next quarter".
void RelativeQuarter(const NormContext& c, int shift, NormResult& out) {
  Ymd ref = c.dct.valid() && !c.narrative ? c.dct : Anaphoric(c);
  if (!ref.valid() || !ref.m) {
    out.value = "XXXX-QX";
    out.unresolved = true;
    return;
  }
  int index = ref.y * 4 + (ref.m - 1) / 3 + shift;  // quarters since year 0
  int y = index >= 0 ? index / 4 : -((-index + 3) / 4);
  out.value = YearString(y) + "-Q" + std::to_string(index - y * 4 + 1);
  out.anchor = FormatYmd(ref);
}

// season(s [, y]): s is SP, SU, FA, WI.
void FnSeason(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  if (a.size() > 1 && a[1] == "NEXT") {  // "the following spring": the anchor's next year
    Ymd ref = Anaphoric(c);
    if (ref.valid()) {
      int y = ref.y + 1;
      if (ref.y < 0 && y == 0) y = 1;
      out.value = YearString(y) + "-" + std::string(a[0]);
      out.anchor = FormatYmd(ref);
    } else {
      out.value = "FUTURE_REF";
      out.unresolved = true;
    }
    return;
  }
  std::string_view ys = a.size() > 1 ? a[1] : "";
  int mid = a[0] == "SP" ? 4 : a[0] == "SU" ? 7 : a[0] == "FA" ? 10 : 1;
  if (ys == "DLAST" || ys == "DNEXT" || ys == "DTHIS") {
    // "last fall", "next spring": the season's middle month decides.
    YearByWhich(c, ys, mid, 0, std::string(a[0]), out);
    return;
  }
  if (ys.empty() && AroundDct(c)) {
    // A season's middle month decides its year around the DCT (winter: January).
    out.value = YearString(YearAround(c, mid, 0)) + "-" + std::string(a[0]);
    out.anchor = FormatYmd(c.dct);
    return;
  }
  YearSuffix(ys, a[0], c, out);
}
// half(h [, y]) -> YYYY-H1; quarter(q [, y]) -> YYYY-Q1.
void FnHalf(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  YearSuffix(a.size() > 1 ? a[1] : "", "H" + std::string(a[0]), c, out);
}
void FnQuarter(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  if (a[0] == "latest" || a[0] == "last" || a[0] == "LATEST") {
    RelativeQuarter(c, -1, out);
    return;
  }
  if (a[0] == "current" || a[0] == "this" || a[0] == "next") {
    RelativeQuarter(c, a[0] == "next" ? 1 : 0, out);
    return;
  }
  std::string_view ys = a.size() > 1 ? a[1] : "";
  int q = 0;
  if (a[0] == "NEAR") {
    // "the 1988 quarter": the quarter talked about in this or the previous sentence, in year
    // ys; without one, the year alone.
    YearSuffix(ys, c.quarter_near.size() == 7 ? std::string_view(c.quarter_near).substr(5) : "",
               c, out);
    return;
  }
  if (ys.empty() && AroundDct(c) && ToInt(a[0], q) && q >= 1 && q <= 4) {
    // "the third quarter" in news: the one around the DCT, by tense (its last month decides).
    int y = YearAround(c, q * 3, 0);
    // A quarter that has not ended by the DCT is past only when it is the current one.
    int current = (c.dct.m - 1) / 3 + 1;
    if (c.tense <= 0 && current == q) y = c.dct.y;
    // The quarter just ended is the one results are reported for, whatever the tense nearby
    // ("plans to restructure after a third-quarter loss", written in October).
    if (c.dct.m && q == (current + 2) % 4 + 1) y = c.dct.y - (current == 1 ? 1 : 0);
    out.value = YearString(y) + "-Q" + std::string(a[0]);
    out.anchor = FormatYmd(c.dct);
    return;
  }
  YearSuffix(ys, "Q" + std::string(a[0]), c, out);
}

// The day of weekday w (1..7) seen from `ref`: which = LAST (strictly before), NEXT (strictly
// after), THIS (in the same ISO week), else by tense (past: on or before; future: on or after;
// unknown: the nearer, ties to the past). DLAST, DNEXT, DTHIS: "last", "next", "this".
long WeekdayDays(const Ymd& ref, int w, std::string_view which, int tense) {
  long days = DaysFromCivil(ref.y, ref.m, ref.d);
  int now = IsoWeekday(days);
  int fwd = (w - now + 7) % 7, back = (now - w + 7) % 7;
  if (which == "DLAST") return days - (back == 0 ? 7 : back);
  if (which == "DNEXT") return days + (fwd == 0 ? 7 : fwd);
  if (which == "DTHIS") return days + (w - now);
  if (tense < 0) return days - back;
  if (tense > 0) return days + fwd;
  return back <= fwd ? days - back : days + fwd;
}

// The reference day for weekdays: the DCT in news, the anchor day in narrative.
Ymd WeekdayRef(const NormContext& c) {
  Ymd ref = c.narrative ? Anaphoric(c) : c.dct;
  if (!ref.valid() || !ref.m || !ref.d) return Ymd();
  return ref;
}

// weekday(w [, which [, part]]): "Friday", "last Friday", "Friday morning" -> 2025-03-07TMO.
void FnWeekday(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  int w = 0;
  std::string_view which = a.size() > 1 ? a[1] : "";
  std::string_view part = a.size() > 2 ? a[2] : "";
  if (!ToInt(a[0], w) || w < 1 || w > 7) {
    out.value = "XXXX-WXX-X";
    out.unresolved = true;
    return;
  }
  Ymd ref = WeekdayRef(c);
  if (which == "APREV" || which == "ANEXT") {
    // "the previous Friday", "the following Monday": before or after the day last mentioned
    // (the DCT when none was).
    Ymd a = c.anchor.valid() && c.anchor.m && c.anchor.d ? c.anchor : c.dct;
    ref = a.valid() && a.m && a.d ? a : Ymd();
    which = which == "APREV" ? "DLAST" : "DNEXT";
  }
  if (!ref.valid()) {
    out.value = "XXXX-WXX-" + std::to_string(w);
    out.unresolved = true;
  } else {
    out.value = FormatYmd(CivilFromDays(WeekdayDays(ref, w, which, c.tense)));
    out.anchor = FormatYmd(ref);
    out.sets_anchor = true;  // "On Friday, ... at 10:35 a.m.": the day now talked about
  }
  if (!part.empty()) out.value += "T" + std::string(part);
}

// weekset(w [, part]): "each Thursday", "Tuesday nights" -> XXXX-WXX-4, XXXX-WXX-2TNI.
void FnWeekset(const std::vector<std::string_view>& a, const NormContext&, NormResult& out) {
  int w = 0;
  out.value = "XXXX-WXX-" + (ToInt(a[0], w) && w >= 1 && w <= 7 ? std::to_string(w) : std::string("X"));
  if (a.size() > 1 && !a[1].empty()) out.value += "T" + std::string(a[1]);
}

// weekend(which): the weekend around the DCT ("2000-W16-WE"): last, next, this, or by tense
// (the/over the/none).
void FnWeekend(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  std::string_view d = a.empty() ? "" : a[0];
  Ymd ref = WeekdayRef(c);
  if (!ref.valid()) {
    out.value = "XXXX-WXX-WE";
    out.unresolved = true;
    return;
  }
  std::string_view which = d == "last" ? "DLAST" : d == "next" ? "DNEXT" : d == "this" ? "DTHIS" : "";
  long sat = WeekdayDays(ref, 6, which, c.tense);
  out.value = IsoWeek(CivilFromDays(sat)) + "-WE";
  out.anchor = FormatYmd(ref);
}

// wtime(h, min, ampm, w): a time of day on a weekday ("10 p.m. Wednesday").
void FnWtime(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out);

// season(s [, y]): s is SP, SU, FA, WI.

bool Shift(Ymd ref, int n, std::string_view u, std::string& value);

// The anchor date as a day ("YYYY-MM-DD"), or X placeholders for the parts it lacks.
std::string DayOrX(const NormContext& c, NormResult& out) {
  Ymd ref = Anaphoric(c);
  if (!ref.valid()) {
    out.unresolved = true;
    return "XXXX-XX-XX";
  }
  out.anchor = FormatYmd(ref);
  std::string s = YearString(ref.y);
  s += ref.m ? "-" + Pad(ref.m, 2) : "-XX";
  s += ref.d ? "-" + Pad(ref.d, 2) : "-XX";
  return s;
}

// part(p [, y, m, d]) or part(p, NEXT): a part of the day (MO, AF, EV, NI) of a date, of the
// anchor day, or of the day after it.
void FnPart(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  std::string day;
  if (a.size() >= 3 && !a[2].empty()) {
    std::vector<std::string_view> d = {a[1], a[2], a.size() > 3 ? a[3] : ""};
    FnDate(d, c, out);
    day = out.value;
  } else if (a.size() == 2 && a[1] == "X") {
    day = "XXXX-XX-XX";  // a recurring part of the day ("at night")
  } else if (a.size() == 2 && a[1] == "NEXT") {
    Ymd ref = Anaphoric(c);
    std::string v;
    if (ref.valid() && Shift(ref, 1, "D", v)) {
      day = v;
      out.anchor = FormatYmd(ref);
    } else {
      day = "XXXX-XX-XX";
      out.unresolved = true;
    }
  } else {
    day = DayOrX(c, out);
  }
  out.sets_anchor = false;
  out.value = day + "T" + std::string(a[0]);  // MO, AF, EV, NI, or a clock time (12:00)
}

// time(h, min, ampm [, date]): a time of day on the anchor day.
void FnTime(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  int h = 0, mi = 0;
  LeadingInt(a[0], h);
  if (a.size() > 1) ToInt(a[1], mi);
  std::string_view ampm = a.size() > 2 ? a[2] : "";
  if (!ampm.empty() && (ampm[0] == 'p') && h < 12) h += 12;
  if (!ampm.empty() && (ampm[0] == 'a') && h == 12) h = 0;
  std::string day = a.size() > 3 && !a[3].empty() ? std::string(a[3]) : DayOrX(c, out);
  out.value = day + "T" + Pad(h, 2) + ":" + Pad(mi, 2);
}

void FnWtime(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  NormResult day;
  FnWeekday({a[3]}, c, day);
  std::vector<std::string_view> t = {a[0], a[1], a[2], day.value};
  FnTime(t, c, out);
  out.unresolved = day.unresolved;
  out.anchor = day.anchor;
}

// dpart(p, d): a part of the day around the DCT: d is yesterday, tomorrow, last (the night
// before), or this/anything else (the DCT's day).
void FnDpart(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  std::string_view d = a.size() > 1 ? a[1] : "";
  int shift = d == "yesterday" || d == "last" ? -1 : d == "tomorrow" ? 1 : 0;
  Ymd ref = Deictic(c);
  if (c.news && !c.dct.valid()) ref = Ymd();
  if (!ref.valid() || !ref.m || !ref.d) {
    out.value = "XXXX-XX-XXT" + std::string(a[0]);
    out.unresolved = true;
    return;
  }
  out.value = FormatYmd(CivilFromDays(DaysFromCivil(ref.y, ref.m, ref.d) + shift)) + "T" +
              std::string(a[0]);
  out.anchor = FormatYmd(ref);
}

bool IsTimeUnit(std::string_view u) { return u == "H" || u == "MIN" || u == "S"; }

// dur(n, unit): P{n}{unit}; decades and centuries in years (P20Y), times with T (PT5H).
void FnDur(const std::vector<std::string_view>& a, const NormContext&, NormResult& out) {
  std::string n = Count(a[0]);
  std::string_view u = a[1];
  int v;
  if ((u == "DE" || u == "CE") && ToInt(n, v)) {
    out.value = "P" + std::to_string(v * (u == "DE" ? 10 : 100)) + "Y";
    return;
  }
  if ((u == "DE" || u == "CE") && (n == "0.5" || n == ".5")) {
    out.value = u == "DE" ? "P5Y" : "P50Y";
    return;
  }
  if (IsTimeUnit(u)) {
    out.value = "PT" + n + (u == "MIN" ? "M" : std::string(u));
  } else {
    out.value = "P" + n + std::string(u);
  }
}

// durhalf(n, unit): n and a half units, "2 1/2 years" -> P2Y6M, "an hour and a half" -> PT1H30M.
void FnDurhalf(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  std::string n = Count(a[0]);
  std::string_view u = a[1];
  int v;
  if (!ToInt(n, v)) {
    FnDur(a, c, out);
    return;
  }
  std::string whole = std::to_string(v);
  if (u == "Y") out.value = "P" + whole + "Y6M";
  else if (u == "M") out.value = "P" + whole + "M15D";
  else if (u == "W") out.value = "P" + whole + "W3DT12H";
  else if (u == "D") out.value = "P" + whole + "DT12H";
  else if (u == "H") out.value = "PT" + whole + "H30M";
  else if (u == "MIN") out.value = "PT" + whole + "M30S";
  else if (u == "DE") out.value = "P" + std::to_string(v * 10 + 5) + "Y";
  else FnDur(a, c, out);
}

// mtime(h, min, ampm, m, d): a time of day on a date without a year ("5 p.m. EST Nov. 9").
void FnMtime(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  NormResult day;
  FnDate({"", a[3], a[4]}, c, day);
  std::vector<std::string_view> t = {a[0], a[1], a[2], day.value};
  FnTime(t, c, out);
  out.unresolved = day.unresolved;
  out.anchor = day.anchor;
}

// set(unit [, n]): a recurring period, "P1D" for "daily".
void FnSet(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  std::vector<std::string_view> args = {a.size() > 1 ? a[1] : "1", a[0]};
  FnDur(args, c, out);
}

// Moves `ref` by n units (negative: back) at the unit's granularity. False when the reference
// lacks that granularity (a day shift from a bare year).
bool Shift(Ymd ref, int n, std::string_view u, std::string& value) {
  if (u == "Y" || u == "DE" || u == "CE") {
    int k = u == "Y" ? 1 : u == "DE" ? 10 : 100;
    int y = ref.y + n * k;
    if (ref.y > 0 && y <= 0) --y;  // no year 0
    value = YearString(y);
    return true;
  }
  if (u == "M" || u == "Q" || u == "H") {
    if (!ref.m) return false;
    int k = u == "M" ? 1 : u == "Q" ? 3 : 6;
    int months = ref.y * 12 + (ref.m - 1) + n * k;
    int y = months >= 0 ? months / 12 : -((-months + 11) / 12);
    int m = months - y * 12 + 1;
    value = YearString(y) + "-" + Pad(m, 2);
    return true;
  }
  if (u == "D" || u == "W") {
    if (!ref.m || !ref.d) return false;
    long z = DaysFromCivil(ref.y, ref.m, ref.d) + static_cast<long>(n) * (u == "W" ? 7 : 1);
    value = FormatYmd(CivilFromDays(z));
    return true;
  }
  return false;
}

void ShiftFrom(Ymd ref, const std::vector<std::string_view>& a, NormResult& out,
               const NormContext* c = nullptr) {
  int n = 1, dir = 1;
  std::string cnt = Count(a[0]);
  bool vague = cnt == "X";
  if (!vague) ToInt(cnt, n);
  if (a.size() > 2) ToInt(a[2], dir);
  if (dir == 0) n = 0;
  if (c && !c->quarter_near.empty() && a[1] == "Y" && n == 1 && dir < 0) {
    // "a year earlier" next to "the third quarter": the same quarter a year before.
    int y = 0;
    if (ToInt(std::string_view(c->quarter_near).substr(0, 4), y)) {
      out.value = YearString(y - 1) + c->quarter_near.substr(4);
      out.anchor = c->quarter_near;
      return;
    }
  }
  if (!ref.valid() || vague || !Shift(ref, dir < 0 ? -n : n, a[1], out.value)) {
    out.value = dir < 0 ? "PAST_REF" : dir > 0 ? "FUTURE_REF" : "PRESENT_REF";
    out.unresolved = !ref.valid();
    if (ref.valid()) out.anchor = FormatYmd(ref);
    return;
  }
  out.anchor = FormatYmd(ref);
}

// shift(n, unit, dir): n units after (dir 1) or before (dir -1) the anchor ("two years later").
void FnShift(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  ShiftFrom(Anaphoric(c), a, out, &c);
}
// anchored(n, unit, dir): "three years after the coup". In a narrative with a date mentioned
// before, that date moved by n units (the event is usually the last date mentioned); otherwise
// the duration itself, anchored on the event (type DURATION, signal after/before).
void FnAnchored(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  if (c.narrative && c.anchor.valid()) {
    ShiftFrom(c.anchor, a, out, &c);
    return;
  }
  std::vector<std::string_view> d = {a[0], a[1]};
  FnDur(d, c, out);
  out.type = "DURATION";
  int dir = 1;
  if (a.size() > 2) ToInt(a[2], dir);
  out.signal = dir < 0 ? "before" : "after";
}

// deictic(n, unit, dir): like shift but from the DCT ("last year"); dir 0 is "this". "this
// week", "last week" and "next week" are ISO weeks (2025-W10).
void FnDeictic(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  Ymd ref = Deictic(c);
  if (c.news && !c.dct.valid()) ref = Ymd();  // news without a DCT: nothing to count from
  int dir = 1;
  if (a.size() > 2 && !ToInt(a[2], dir)) dir = a[2] == "DLAST" ? -1 : a[2] == "DTHIS" ? 0 : 1;
  if (a[1] == "W" && (a[0].empty() || a[0] == "1" || dir == 0) && ref.valid() && ref.m && ref.d) {
    long days = DaysFromCivil(ref.y, ref.m, ref.d) + 7L * (dir < 0 ? -1 : dir > 0 ? 1 : 0);
    out.value = IsoWeek(CivilFromDays(days));
    out.anchor = FormatYmd(ref);
    return;
  }
  ShiftFrom(ref, a, out, &c);
}

// pastunit(unit): "the past year" -- in news with a DCT the previous calendar unit (TimeML's
// DATE 1997 in 1998), in a narrative a measure (P1Y) ending at the time talked about.
void FnPastunit(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  if (!c.narrative && c.dct.valid()) {
    FnDeictic({"1", a[0], "-1"}, c, out);
    return;
  }
  FnDur({"1", a[0]}, c, out);
  out.type = "DURATION";
}

// same(unit): the anchor at the unit's granularity ("that same year", "at the time").
void FnSame(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  Ymd ref = Anaphoric(c);
  if (!ref.valid()) {
    out.value = "PAST_REF";
    out.unresolved = true;
    return;
  }
  std::string_view u = a.empty() ? "" : a[0];
  Ymd r = ref;
  if (u == "Y") r.m = r.d = 0;
  if (u == "M") r.d = 0;
  if ((u == "M" && !ref.m) || (u == "D" && !ref.d)) {
    out.value = "PAST_REF";
    out.anchor = FormatYmd(ref);
    return;
  }
  out.value = FormatYmd(r);
  out.anchor = FormatYmd(ref);
}

// ref(name [, unit]): PRESENT_REF/PAST_REF/FUTURE_REF; with a DCT (and not narrative), PRESENT_REF
// with a unit resolves to the DCT at that granularity ("today" -> the DCT day).
void FnRef(const std::vector<std::string_view>& a, const NormContext& c, NormResult& out) {
  out.value = std::string(a[0]);
  if (a.size() > 1 && !a[1].empty() && a[0] == "PRESENT_REF" && c.dct.valid()) {
    Ymd r = c.dct;
    if (a[1] == "Y") r.m = r.d = 0;
    if (a[1] == "M") r.d = 0;
    out.value = FormatYmd(r);
    out.anchor = FormatYmd(c.dct);
  }
}

const std::vector<NormFunction> kFunctions = {
    {"date", 1, 3, FnDate,
     "date(y, m, d): explicit date; a missing year comes from the anchor; date(NEXT|PREV, m): "
     "the month after or before the anchor"},
    {"lit", 1, 1, FnLit, "lit(v): the argument itself is the value"},
    {"yearwords", 2, 3, FnYearWords,
     "yearwords(c, t, m?): a year said in two parts, nineteen ninety-seven: 1997 (with a month)"},
    {"bc", 1, 3, FnBc, "bc(y, m?, d?): year before Christ, BC0480, BC0480-04"},
    {"decade", 1, 2, FnDecade, "decade(x, bc?): 199 for the 1990s"},
    {"century", 1, 2, FnCentury, "century(n, bc?): 19 for the 20th century"},
    {"season", 1, 2, FnSeason, "season(s, y?) or season(s, NEXT): 1943-SU"},
    {"half", 1, 2, FnHalf, "half(h, y?): 2008-H2"},
    {"quarter", 1, 2, FnQuarter, "quarter(q, y?): 2008-Q1"},
    {"part", 1, 4, FnPart, "part(p, y?, m?, d?) or part(p, NEXT): 1775-04-19TMO"},
    {"time", 1, 4, FnTime, "time(h, min?, ampm?, date?): 1918-11-11T10:57"},
    {"dur", 2, 2, FnDur, "dur(n, unit): P20Y, PT5H, PXM"},
    {"set", 1, 2, FnSet, "set(unit, n?): recurring period P1D"},
    {"durhalf", 2, 2, FnDurhalf, "durhalf(n, unit): n and a half units, P2Y6M, PT1H30M"},
    {"mtime", 5, 5, FnMtime, "mtime(h, min, ampm, m, d): a time of day on a month's day"},
    {"shift", 2, 3, FnShift, "shift(n, unit, dir): anchor moved by n units"},
    {"deictic", 2, 3, FnDeictic,
     "deictic(n, unit, dir): DCT moved by n units (anchor in narrative)"},
    {"same", 0, 1, FnSame, "same(unit?): the anchor at a granularity"},
    {"pastunit", 1, 1, FnPastunit,
     "pastunit(unit): the previous calendar unit in news (1997), a measure in narrative (P1Y)"},
    {"anchored", 3, 3, FnAnchored,
     "anchored(n, unit, dir): n units after/before an event: the anchor moved in a narrative, "
     "else a DURATION (P3Y) with signal after/before"},
    {"ref", 1, 2, FnRef, "ref(PRESENT_REF|PAST_REF|FUTURE_REF, unit?)"},
    {"weekday", 1, 3, FnWeekday,
     "weekday(w, LAST|NEXT|THIS?, part?): the day of weekday w (1 Monday) around the DCT, in "
     "the direction of the tense; 2025-03-07, 2025-03-07TMO"},
    {"wtime", 4, 4, FnWtime, "wtime(h, min, ampm, w): a time of day on a weekday"},
    {"weekset", 1, 2, FnWeekset,
     "weekset(w, part?): every weekday w (a SET), XXXX-WXX-4, XXXX-WXX-2TNI"},
    {"weekend", 0, 1, FnWeekend, "weekend(last|this|next?): the weekend around the DCT, 2000-W16-WE"},
    {"dpart", 1, 2, FnDpart,
     "dpart(p, yesterday|tomorrow|last|this): a part of the day around the DCT, 2025-03-13TNI"},
};

}  // namespace

long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

Ymd CivilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  Ymd r;
  r.y = static_cast<int>(y + (m <= 2));
  r.m = static_cast<int>(m);
  r.d = static_cast<int>(d);
  return r;
}

int IsoWeekday(long days) {
  // 1970-01-01 was a Thursday (4).
  long r = (days + 3) % 7;
  if (r < 0) r += 7;
  return static_cast<int>(r) + 1;
}

std::string IsoWeek(const Ymd& d) {
  long days = DaysFromCivil(d.y, d.m, d.d);
  // The Thursday of the same ISO week decides the ISO year.
  long thursday = days - IsoWeekday(days) + 4;
  Ymd t = CivilFromDays(thursday);
  long jan1 = DaysFromCivil(t.y, 1, 1);
  int week = static_cast<int>((thursday - jan1) / 7) + 1;
  return YearString(t.y) + "-W" + Pad(week, 2);
}

Ymd AnchorFromValue(std::string_view v) {
  Ymd r = ParseDateValue(v);
  if (r.valid()) return r;
  // "1915-SP", "2008-H2", "BC0480-WI": the year.
  bool bc = v.substr(0, 2) == "BC";
  if (bc) v.remove_prefix(2);
  int y;
  if (v.size() > 5 && v[4] == '-' && ToInt(v.substr(0, 4), y) && !(v[5] >= '0' && v[5] <= '9')) {
    r.y = bc ? -y : y;
  }
  return r;
}

Ymd ParseDateValue(std::string_view v) {
  Ymd r;
  bool bc = false;
  if (v.substr(0, 2) == "BC") {
    bc = true;
    v.remove_prefix(2);
  }
  size_t t = v.find('T');
  if (t != std::string_view::npos) v = v.substr(0, t);
  int y, m = 0, d = 0;
  if (v.size() < 4 || !ToInt(v.substr(0, 4), y)) return r;
  if (v.size() == 4) {
  } else if (v.size() == 7 && v[4] == '-' && ToInt(v.substr(5, 2), m) && m >= 1 && m <= 12) {
  } else if (v.size() == 10 && v[4] == '-' && v[7] == '-' && ToInt(v.substr(5, 2), m) &&
             ToInt(v.substr(8, 2), d) && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
  } else {
    return r;
  }
  r.y = bc ? -y : y;
  r.m = m;
  r.d = d;
  if (r.m != 0 && r.d > DaysInMonth(r.y, r.m)) r.d = DaysInMonth(r.y, r.m);
  return r;
}

std::string FormatYmd(const Ymd& d) {
  if (!d.valid()) return "";
  std::string s = YearString(d.y);
  if (d.m) {
    s += "-" + Pad(d.m, 2);
    if (d.d) s += "-" + Pad(d.d, 2);
  }
  return s;
}

int FindNormFunction(std::string_view name) {
  for (size_t i = 0; i < kFunctions.size(); ++i) {
    if (name == kFunctions[i].name) return static_cast<int>(i);
  }
  return -1;
}

const NormFunction& NormFunctionAt(int id) { return kFunctions[static_cast<size_t>(id)]; }
const std::vector<NormFunction>& NormFunctions() { return kFunctions; }

}  // namespace quarry::internal
