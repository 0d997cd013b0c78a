// A shopping cart, typed.

export interface Item {
  sku: string;
  price: number;
  quantity: number;
}

/** Totals a list of items, applying an optional discount rate between 0 and 1. */
export function total(items: Item[], discount = 0): number {
  const sum = items.reduce((acc, item) => acc + item.price * item.quantity, 0);
  return sum * (1 - discount);
}

export class Cart {
  private items: Item[] = [];

  add(item: Item): void {
    this.items.push(item);
  }

  // Removes every line with this SKU.
  remove(sku: string): void {
    this.items = this.items.filter((i) => i.sku !== sku);
  }
}

export const isEmpty = (cart: Item[]): boolean => cart.length === 0;
