// How a page draws its view state. Each page keeps one `state` object (what it shows: loading, busy, error, empty
// or data, the open sections, the selections); its message and event handlers only change that state and call the
// page's `render()`, which sets what shows and what it says from the state alone. Which sections show is a pure
// function of the state (`<page>Sections(state)` in the page's state.ts); `showSections` applies it. This file
// names no DOM type, so the state files (and their unit tests) need no browser.

/** What the banners show: the busy line while `busy` is set, the error banner while `error` is set. */
export interface BannerState {
  readonly busy?: string;
  readonly error?: string;
}

/** Shows each named element whose entry is true and hides the others. */
export function showSections<Section extends string>(elements: Readonly<Record<NoInfer<Section>, { hidden: boolean }>>, visible: Readonly<Record<Section, boolean>>): void {
  for (const section of Object.keys(visible) as Section[]) elements[section].hidden = !visible[section];
}
