/**
 * Moves the keyboard focus to an opened item's heading, so that a screen reader announces it and
 * a narrow screen (where the item sits below the list) scrolls to it.
 */
export function focusOnOpen(heading: HTMLHeadingElement | null): void {
  heading?.focus();
}
