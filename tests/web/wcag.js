// WCAG 2.1 AA checks that axe-core does not make (tests/web/wcag.py injects this file into the page).
// Each check returns problems that name the element (a short CSS path) and the figure that failed.
"use strict";
window.__wcag = (() => {
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(part + '#' + e.id); break; }
      if (e.classList.length) part += '.' + [...e.classList].join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  // Text for screen readers only (the .visually-hidden pattern: a 1 px box, clipped to nothing) is
  // meant to be invisible; every other element with a box is checked.
  const screenReaderOnly = (el) => el.closest('.visually-hidden') !== null;
  const visible = (el) => {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return cs.visibility !== 'hidden' && cs.display !== 'none' && r.width > 0 && r.height > 0
      && !screenReaderOnly(el);
  };
  const scrollsX = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScrollBox = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) if (scrollsX(e)) return e;
    return null;
  };
  const closedDetails = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      if (e.tagName !== 'DETAILS' || e.open) continue;
      const summary = e.querySelector(':scope > summary');
      // only a closed disclosure's own summary shows, unless the page's CSS shows its content
      // (::details-content, as the header menu on a wide screen): then the browser says it is visible
      if (!summary || !summary.contains(el)) return !(el.checkVisibility && el.checkVisibility());
    }
    return false;
  };
  // Contrast (WCAG relative luminance) of a colour against the first opaque background behind an element.
  const rgb = (text) => {
    const m = text.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/);
    return m && (m[4] === undefined || parseFloat(m[4]) > 0) ? [+m[1], +m[2], +m[3]] : null;
  };
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c) return c; }
    return [255, 255, 255];
  };
  return {
    reflow: () => {
      const problems = [];
      const width = document.documentElement.clientWidth;
      const page = document.documentElement.scrollWidth;
      if (page > width) problems.push(`the page scrolls horizontally: ${page} CSS px wide in a ${width} px viewport`);
      const outside = new Set();
      for (const el of document.body.querySelectorAll('*')) {
        if (!visible(el) || el.closest('.skip-link') || inScrollBox(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.right <= width + 1 && r.left >= -1) continue;
        outside.add(el);
        if (!outside.has(el.parentElement))  // name the outermost element only
          problems.push(`${where(el)} sticks out of the viewport (${Math.round(r.left)}..${Math.round(r.right)} px)`);
      }
      // Text that runs out of its element (a long word) makes the page wider without the element doing so.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || outside.has(el) || !visible(el) || inScrollBox(el)) continue;
        if (el.closest('.skip-link, script, style, option')) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && (r.right > width + 1 || r.left < -1))
          problems.push(`text of ${where(el)} runs out of the viewport (${Math.round(r.left)}..${Math.round(r.right)} px)`);
      }
      for (const box of document.body.querySelectorAll('*')) {
        if (!scrollsX(box) || box.scrollWidth <= box.clientWidth + 1 || !visible(box)) continue;
        const named = box.getAttribute('aria-label') || box.getAttribute('aria-labelledby');
        if (box.tabIndex < 0 || box.getAttribute('role') !== 'region' || !named)
          problems.push(`${where(box)} scrolls sideways but is not a focusable, named region (tabindex=0, role=region, aria-label)`);
      }
      return problems.slice(0, 15);
    },
    textProblems: () => {
      const problems = [];
      const clips = (v) => v === 'hidden' || v === 'clip';
      for (const el of document.body.querySelectorAll('*')) {
        if (!visible(el) || !el.textContent.trim() || el.closest('svg')) continue;
        const cs = getComputedStyle(el);
        if (clips(cs.overflowY) && el.scrollHeight > el.clientHeight + 1)
          problems.push(`${where(el)} cuts off its text vertically (${el.scrollHeight} > ${el.clientHeight} px)`);
        if (clips(cs.overflowX) && el.scrollWidth > el.clientWidth + 1)
          problems.push(`${where(el)} cuts off its text horizontally (${el.scrollWidth} > ${el.clientWidth} px)`);
      }
      // Overlap: the line boxes of different text nodes must not cover each other.
      const lines = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || el.closest('svg, .skip-link, option, script, style') || !visible(el)) continue;
        if (closedDetails(el)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) lines.push({r, el});
      }
      lines.sort((a, b) => a.r.top - b.r.top);
      for (let i = 0; i < lines.length && problems.length < 15; i++) {
        for (let j = i + 1; j < lines.length && lines[j].r.top < lines[i].r.bottom; j++) {
          const a = lines[i], b = lines[j];
          if (a.el === b.el) continue;
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (w > 2 && h > 4) problems.push(`text of ${where(a.el)} and ${where(b.el)} overlap (${Math.round(w)}x${Math.round(h)} px)`);
        }
      }
      return problems.slice(0, 15);
    },
    focusable: () => {
      const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
      const groups = new Set();
      // A group of radio buttons is one Tab stop (its checked button, else its first); arrows move within it.
      const oneStop = (el) => {
        if (el.type !== 'radio' || !el.name) return true;
        const group = `${el.form ? [...document.forms].indexOf(el.form) : -1}/${el.name}`;
        const checked = [...document.getElementsByName(el.name)].find((r) => r.form === el.form && r.checked);
        if (checked ? checked !== el : groups.has(group)) return false;
        groups.add(group);
        return true;
      };
      const found = [...document.querySelectorAll(selector)].filter(
        (el) => !el.disabled && visible(el) && !closedDetails(el) && oneStop(el));
      found.forEach((el, i) => el.setAttribute('data-wcag-index', String(i)));
      return found.map(where);
    },
    focusState: () => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
      const ring = cs.boxShadow !== 'none';
      // 1.4.11: the indicator (outline or ring) must reach 3:1 against what surrounds the control.
      const around = background(el.parentElement);
      const colours = [outline && rgb(cs.outlineColor), ring && rgb(cs.boxShadow)].filter(Boolean);
      const indicatorContrast = Math.max(0, ...colours.map((c) => ratio(c, around)));
      return {
        index: el.getAttribute('data-wcag-index'), where: where(el), tag: el.tagName.toLowerCase(),
        form: el.form ? (el.form.getAttribute('action') || '') : null,
        visibleIndicator: outline || ring, indicatorContrast,
        indicator: `outline ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow ${cs.boxShadow}`,
        inView: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
        top: r.top + scrollY, left: r.left + scrollX,
  };
  },
  controlBorders: (minimum) => {
    // 1.4.11: a text field, list or text area needs a border (or its own background) of 3:1 to be seen.
    const problems = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')) {
      if (!visible(el)) continue;
      const cs = getComputedStyle(el);
      const around = background(el.parentElement);
      const border = parseFloat(cs.borderTopWidth) >= 1 && rgb(cs.borderTopColor);
      const own = rgb(cs.backgroundColor);
      const best = Math.max(border ? ratio(border, around) : 0, own ? ratio(own, around) : 0);
      if (best < minimum)
        problems.push(`${where(el)}: border ${cs.borderTopWidth} ${cs.borderTopColor} is ${best.toFixed(2)}:1 against ${around}`);
    }
    return problems.slice(0, 15);
  },
  errorProblems: () => {
    // 3.3.1: after a refused form, focus is on the error summary (or an invalid field), every summary
    // link leads to a field marked invalid, and every invalid field points at a visible error text.
    const problems = [];
    const fields = [...document.querySelectorAll('[aria-invalid=true]')];
    const active = document.activeElement;
    const summary = active && active.closest('[role=alert], .notice');
    if (!summary && !fields.includes(active))
      problems.push(`the focus is on ${active ? where(active) : 'nothing'}, not on the error summary or an invalid field`);
    for (const link of (summary || document).querySelectorAll('.notice a[href^="#"]')) {
      const target = document.getElementById(link.getAttribute('href').slice(1));
      if (!target || target.getAttribute('aria-invalid') !== 'true') {
        problems.push(`${where(link)} leads to ${target ? where(target) : 'nothing'}, not to a field marked aria-invalid`);
        continue;
      }
      const label = target.labels && target.labels[0];
      const name = label ? [...label.childNodes].filter((n) => !(n.classList && n.classList.contains('hint')))
        .map((n) => n.textContent).join('').replace(/\s*\([^)]*\)\s*$/, '').trim().toLowerCase() : '';
      if (name && !link.textContent.toLowerCase().includes(name))
        problems.push(`${where(link)} ("${link.textContent.trim().slice(0, 60)}") does not name its field "${name}"`);
    }
    for (const field of fields) {
      const ids = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      const texts = ids.map((id) => document.getElementById(id)).filter((el) => el && visible(el) && el.textContent.trim());
      if (!texts.length) problems.push(`${where(field)} is marked invalid but aria-describedby names no visible error text`);
      if (!field.labels || !field.labels.length) problems.push(`${where(field)} is marked invalid but has no label`);
    }
    return {fields: fields.map(where), problems};
  },
  contrastOfMarks: (minimum) => {
  const marks = document.querySelectorAll(
    'svg.chart .bar, svg.chart .line, svg.chart .interval line, svg.chart .interval circle, svg.chart rect[class], svg.map path');
  const problems = [];
  let checked = 0;
  const seen = new Set();
  for (const el of marks) {
    const svg = el.closest('svg');
    const cs = getComputedStyle(el);
    const bg = background(svg);
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const fill = cs.fill === 'none' ? null : rgb(cs.fill);
    const stroke = cs.stroke === 'none' ? null : rgb(cs.stroke);
    const strokePx = parseFloat(cs.strokeWidth) * (cs.vectorEffect === 'non-scaling-stroke' ? 1 : scale);
    const fillOk = fill && ratio(fill, bg) >= minimum;
    const strokeOk = stroke && strokePx >= 1 && ratio(stroke, bg) >= minimum;
    checked++;
    if (fillOk || strokeOk) continue;
    const key = `${el.getAttribute('class')}|${cs.fill}|${cs.stroke}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const f = fill ? ratio(fill, bg).toFixed(2) : '-', s = stroke ? ratio(stroke, bg).toFixed(2) : '-';
    problems.push(`${where(el)} (fill ${cs.fill} ${f}:1; stroke ${cs.stroke} ${strokePx.toFixed(2)} px ${s}:1) against ${bg}`);
  }
  return {checked, problems};
  },
  };
})();
