import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'
initAll()

// A wide table scrolls inside its own region, never the page (WCAG 1.4.10 reflow): the region
// is named by the table's caption and takes keyboard focus, so it can be scrolled without a
// mouse. Without JavaScript the stylesheet lets the table itself scroll instead.
for (const table of document.querySelectorAll('main table')) {
  let region = table.closest('.tracker-table-scroll')
  if (!region) {
    region = document.createElement('div')
    region.className = 'tracker-table-scroll'
    table.parentNode.insertBefore(region, table)
    region.appendChild(table)
  }
  if (!region.hasAttribute('role')) {
    const caption = table.querySelector('caption')
    region.setAttribute('role', 'region')
    region.setAttribute('aria-label', caption ? caption.textContent.replace(/\s+/g, ' ').trim() : 'Table')
    region.setAttribute('tabindex', '0')
  }
}
