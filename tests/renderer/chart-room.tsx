/**
 * MUI X Charts size themselves from their container's computed width. happy-dom lays nothing out
 * and the component tests put no CSS in the page (render-with-app.tsx), so every chart would be 0
 * wide and draw nothing: this tells the charts' containers they are 600 pixels wide. Not a test
 * file (a .tsx one, so the renderer tests' project, with the DOM's types, checks it);
 * `giveChartsRoom` returns the function that undoes it.
 */
export function giveChartsRoom(width = 600): () => void {
  const original = window.getComputedStyle.bind(window)
  const chartContainer = (element: Element) =>
    element.classList.contains('MuiChartsSurface-root') ||
    String(element.className).includes('MuiChartsLayerContainer-root')
  window.getComputedStyle = (element: Element, pseudo?: string | null) => {
    const style = original(element, pseudo)
    if (!chartContainer(element)) return style
    return new Proxy(style, {
      get: (target, key) => (key === 'width' ? `${width}px` : Reflect.get(target, key, target)),
    })
  }
  return () => {
    window.getComputedStyle = original
  }
}
