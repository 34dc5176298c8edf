package browsertest

import (
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Viewport is a screen size in CSS pixels.
type Viewport struct{ Width, Height int64 }

// PhoneViewports are the sizes at which CheckPhoneWidth lays a page out: a
// common phone (390×844). (The narrowest in use, 320 px, is checked by
// calling it with PhoneViewports set so; each size costs every audit a
// layout, and the whole suite must stay within go test's ten minutes.)
var PhoneViewports = []Viewport{{390, 844}}

// maxWordChecked is the longest word, in characters, that must never be
// broken across lines: longer ones (addresses, codes) may break anywhere so
// that they fit.
const maxWordChecked = 20

// phoneCheck lists what keeps the current page from reading at the current
// viewport's width, one line per problem (at most a few of each kind):
//   - the page is wider than the viewport (sideways scrolling), naming the
//     elements that stick out;
//   - an element scrolls sideways in a box of its own (a table in a
//     scrolling region: tables turn into stacked rows instead);
//   - a word of up to maxWordChecked characters in a table cell or a
//     definition is broken across lines (unless its element hyphenates,
//     which shows a hyphen);
//   - a table cell with text is narrower than 3em and than its widest word;
//   - a chart or bar (an svg whose viewBox is at least twice as wide as
//     tall) is drawn narrower than 24 px.
//
// Hidden things (display none, the 1 px visually-hidden texts) are skipped.
const phoneCheck = `(() => {
  // The layout width without a scrollbar: the page must fit in it.
  const W = document.documentElement.clientWidth, max = 4, out = [];
  const counts = {};
  const report = (kind, s) => { counts[kind] = (counts[kind] || 0) + 1; if (counts[kind] <= max) out.push(s); };
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    for (const c of el.classList) s += '.' + c;
    const txt = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    return txt ? s + ' "' + txt.slice(0, 40) + '"' : s;
  };
  const hiddenCache = new Map();
  const hidden = el => {
    if (!el || el === document.documentElement) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const cs = getComputedStyle(el);
    let h = cs.display === 'none' || cs.visibility === 'hidden' ||
      (el.offsetWidth <= 1 && cs.overflow !== 'visible') || hidden(el.parentElement);
    hiddenCache.set(el, h);
    return h;
  };
  const de = document.documentElement;
  if (de.scrollWidth > W) {
    report('page', 'the page is ' + de.scrollWidth + ' px wide (sideways scrolling)');
    for (const el of document.body.querySelectorAll('*')) {
      if (hidden(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > W + 1 && r.width > 0 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > W + 1)) {
        report('wide', name(el) + ' reaches ' + Math.round(r.right) + ' px');
      }
    }
    // No box sticks out: text does (a long address that does not wrap).
    // Name the innermost elements whose content is wider than the page.
    if (!counts.wide) {
      for (const el of document.body.querySelectorAll('*')) {
        if (el.scrollWidth > W + 1 && !hidden(el) && ![...el.children].some(c => c.scrollWidth > W + 1)) {
          report('wide', name(el) + ': its text is ' + el.scrollWidth + ' px wide');
        }
      }
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && !hidden(el)) {
      report('scroll', name(el) + ' scrolls sideways (' + el.scrollWidth + ' px in ' + el.clientWidth + ' px)');
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const wordWidth = (node, start, end) => {
    range.setStart(node, start); range.setEnd(node, end);
    return range.getBoundingClientRect().width;
  };
  const widest = new Map(); // element → its widest word
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    // Words are measured where columns squeeze them: in tables and
    // definition lists (measuring every word of a long page is slow).
    if (!el || !el.closest('td, th, dd') || hidden(el) || el.closest('script, style, svg, noscript')) continue;
    const hyphenates = getComputedStyle(el).hyphens === 'auto';
    const re = /[^\s\-\u2010-\u2015\/\u00ad\u200b]+/g;
    for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const cell = el.closest('td, th');
      if (cell) widest.set(cell, Math.max(widest.get(cell) || 0, range.getBoundingClientRect().width));
      if (m[0].length > ${maxWord} || hyphenates || rects.length < 2) continue;
      const lines = new Set(rects.map(r => Math.round(r.top)));
      if (lines.size > 1) report('word', '"' + m[0] + '" is broken across lines in ' + name(el));
    }
  }
  for (const cell of document.querySelectorAll('td, th')) {
    if (hidden(cell) || !(cell.innerText || '').trim()) continue;
    const cs = getComputedStyle(cell);
    const w = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const need = Math.min(3 * parseFloat(cs.fontSize), widest.get(cell) || 0);
    if (w + 1 < need) report('cell', name(cell) + ' is ' + Math.round(w) + ' px wide, less than ' + Math.round(need) + ' px');
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (hidden(svg) || svg.parentElement.closest('svg')) continue;
    // Bars and charts are wider than tall (an icon or a swatch may be small).
    const vb = svg.viewBox && svg.viewBox.baseVal;
    if (!vb || vb.width < 2 * vb.height) continue;
    const r = svg.getBoundingClientRect();
    if (r.width < 24) report('svg', name(svg) + ' is drawn ' + r.width.toFixed(1) + ' px wide');
  }
  for (const k in counts) if (counts[k] > max) out.push('... and ' + (counts[k] - max) + ' more of the kind above');
  return out;
})()`

// CheckPhoneWidth lays the current page out at each of PhoneViewports and
// fails the test (t.Errorf, so the test goes on) for every problem found:
// sideways scrolling of the page or of a box in it, words broken inside,
// table cells squeezed narrower than their words, charts and bars drawn
// thinner than 24 px. The viewport is put back afterwards. Audit calls it,
// so every audited page is checked at phone width too. It returns the number
// of problems.
func (b *Browser) CheckPhoneWidth() int {
	b.t.Helper()
	problems, err := b.phoneProblems()
	if err != nil {
		b.fail("CheckPhoneWidth", err)
	}
	if len(problems) > 0 {
		b.t.Errorf("browsertest: the page does not read at phone width on %s:\n- %s", b.currentURL(), strings.Join(problems, "\n- "))
	}
	return len(problems)
}

// phoneProblems runs phoneCheck at every phone viewport and restores the
// viewport the page had.
func (b *Browser) phoneProblems() ([]string, error) {
	ctx, cancel := b.step()
	defer cancel()
	type size struct{ W, H int64 }
	before, err := chromedp.Run(ctx, chromedp.Evaluate[size](`({W: window.innerWidth, H: window.innerHeight})`))
	if err != nil {
		return nil, fmt.Errorf("reading the viewport: %w", err)
	}
	defer func() {
		// Clearing the override gives the browser's own window back; a test
		// that had set a size of its own gets that size again.
		_, _ = chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		now, err := chromedp.Run(ctx, chromedp.Evaluate[size](`({W: window.innerWidth, H: window.innerHeight})`))
		if err == nil && now != before {
			_ = chromedp.Do(ctx, chromedp.EmulateViewport(before.W, before.H))
		}
	}()
	js := strings.ReplaceAll(phoneCheck, "${maxWord}", fmt.Sprint(maxWordChecked))
	var all []string
	for _, v := range PhoneViewports {
		// Not emulated as mobile: a phone would zoom out of a page without
		// a viewport meta tag, hiding what does not fit.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(v.Width, v.Height, chromedp.EmulatePortrait)); err != nil {
			return nil, fmt.Errorf("setting the viewport to %d×%d: %w", v.Width, v.Height, err)
		}
		ps, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			return nil, fmt.Errorf("checking the page at %d px: %w", v.Width, explain(err))
		}
		for _, p := range ps {
			all = append(all, fmt.Sprintf("at %d px: %s", v.Width, p))
		}
	}
	return all, nil
}
