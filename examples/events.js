// A minimal event emitter.
class Emitter {
  constructor() {
    this.handlers = new Map();
  }

  /** Registers a handler for an event name. */
  on(name, handler) {
    const list = this.handlers.get(name) || [];
    list.push(handler);
    this.handlers.set(name, list);
  }

  emit(name, ...args) {
    for (const handler of this.handlers.get(name) || []) handler(...args);
  }
}

const once = (emitter, name) => new Promise((resolve) => emitter.on(name, resolve));

module.exports = { Emitter, once };
