// <scoville-chart>: a trend chart drawn by uPlot (loaded before this script). The console sets
// `data` with the whole chart, then `tail` with only what settled since and the live point, so
// that a live update sends a few numbers, not the chart.
(function () {
  const PALETTE = ['#4aa3ff', '#ffb000', '#b37feb', '#36cfc9', '#ff85c0', '#95de64'];
  const THRESHOLD = { firing: '#ff4d4f', warning: '#faad14' };

  function format(v, unit) {
    if (v == null || Number.isNaN(v)) return '–';
    const round = (x) => {
      const a = Math.abs(x);
      if (a >= 1000) return Math.round(x).toLocaleString('en');
      return String(+x.toPrecision(3));
    };
    switch (unit) {
      case 'ratio': return round(v * 100) + '%';
      case 'seconds': return Math.abs(v) < 1 ? round(v * 1000) + 'ms' : round(v) + 's';
      case 'euros': return '€' + round(v);
      default: return round(v);
    }
  }

  class ScovilleChart extends HTMLElement {
    connectedCallback() {
      // Properties set before this element was defined shadow the accessors: take them over.
      for (const p of ['data', 'tail']) {
        if (Object.prototype.hasOwnProperty.call(this, p)) {
          const v = this[p];
          delete this[p];
          this[p] = v;
        }
      }
      this._resizer = new ResizeObserver(() => this._resize());
      this._resizer.observe(this);
      this._build();
    }

    disconnectedCallback() {
      if (this._resizer) this._resizer.disconnect();
      if (this._plot) this._plot.destroy();
      this._plot = null;
    }

    set data(d) {
      this._data = d;
      this._times = d.times.slice(0, d.settled);
      this._lines = d.lines.map((l) => l.values.slice(0, d.settled));
      this._live = { time: d.times[d.times.length - 1], values: d.lines.map((l) => l.values[l.values.length - 1]) };
      this._build();
    }

    get data() {
      return this._data;
    }

    set tail(t) {
      this._tailValue = t;
      if (!this._data) return;
      for (let i = 0; i < t.settled.times.length; i++) {
        this._times.push(t.settled.times[i]);
        this._lines.forEach((line, j) => line.push(t.settled.values[j][i]));
      }
      const oldest = t.live.time - this._data.window;
      while (this._times.length && this._times[0] <= oldest) {
        this._times.shift();
        this._lines.forEach((line) => line.shift());
      }
      this._live = t.live;
      if (this._plot) this._plot.setData(this._series());
    }

    get tail() {
      return this._tailValue;
    }

    _series() {
      const xs = this._times.concat([this._live.time]).map((t) => t / 1000);
      return [xs].concat(this._lines.map((line, j) => line.concat([this._live.values[j]])));
    }

    _build() {
      if (!this.isConnected || !this._data || !window.uPlot) {
        if (this.isConnected && this._data && !window.uPlot) setTimeout(() => this._build(), 50);
        return;
      }
      if (this._plot) this._plot.destroy();
      const d = this._data;
      const style = getComputedStyle(this);
      const text = style.getPropertyValue('--lumo-secondary-text-color').trim() || '#888';
      const grid = style.getPropertyValue('--lumo-contrast-10pct').trim() || 'rgba(128,128,128,0.2)';
      const thresholds = d.thresholds || [];
      const marks = d.marks || [];
      const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      const opts = {
        width: Math.max(120, this.clientWidth),
        height: d.height,
        legend: { show: d.lines.length > 1 || !!d.lines[0]?.name, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          y: {
            range: (u, min, max) => {
              let lo = min, hi = max;
              for (const t of thresholds) { lo = Math.min(lo ?? t.value, t.value); hi = Math.max(hi ?? t.value, t.value); }
              if (lo == null) return [0, 1];
              if (lo === hi) { const pad = Math.abs(lo) * 0.1 || 1; return [lo - pad, hi + pad]; }
              const pad = (hi - lo) * 0.1;
              return [lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad];
            },
          },
        },
        axes: [
          Object.assign({}, axis, { size: 22, space: 70, values: '{HH}:{mm}' }),
          Object.assign({}, axis, { size: 62, space: 24, values: (u, vals) => vals.map((v) => format(v, d.unit)) }),
        ],
        series: [{}].concat(d.lines.map((l, i) => ({
          label: l.name || d.title, stroke: PALETTE[i % PALETTE.length], width: 2,
          value: (u, v) => format(v, d.unit),
        }))),
        hooks: {
          draw: [(u) => {
            const ctx = u.ctx;
            const { left, top, width, height } = u.bbox;
            ctx.save();
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            for (const t of thresholds) {
              const y = u.valToPos(t.value, 'y', true);
              if (y < top || y > top + height) continue;
              ctx.strokeStyle = THRESHOLD[t.kind] || text;
              ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
            }
            ctx.setLineDash([]);
            for (const m of marks) {
              const x = u.valToPos(m.time / 1000, 'x', true);
              if (x < left || x > left + width) continue;
              ctx.strokeStyle = THRESHOLD.firing;
              ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
              ctx.fillStyle = THRESHOLD.firing;
              ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
              ctx.fillText(m.text, x + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
            }
            ctx.restore();
          }],
        },
      };
      this._plot = new uPlot(opts, this._series(), this);
    }

    _resize() {
      if (this._plot && Math.abs(this._plot.width - this.clientWidth) > 2) {
        this._plot.setSize({ width: Math.max(120, this.clientWidth), height: this._data.height });
      }
    }
  }

  if (!customElements.get('scoville-chart')) customElements.define('scoville-chart', ScovilleChart);
})();
