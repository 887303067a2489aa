export const all = {};
class Metric { constructor(name) { this.name = name; this.values = []; all[name] = this; } add(v) { this.values.push(v); } }
export class Counter extends Metric {}
export class Trend extends Metric {}
export class Rate extends Metric {}
export class Gauge extends Metric {}
