// The progress of a background job (templates/schools/import-progress.html). Every few
// seconds the page is fetched again and its figures are updated in place; once the job has
// finished, the page is loaded again to show its outcome (the preview, or what went wrong).
// No timed refresh of the whole page (WCAG 2.2.1); without JavaScript, "Check now" does it.
(function () {
  var region = document.getElementById('job-progress')
  if (!region || !window.fetch || !window.DOMParser) return
  var every = 3000
  function check () {
    window.fetch(window.location.href, { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null })
      .then(function (html) {
        if (html === null) { window.setTimeout(check, every * 2); return }
        var next = new window.DOMParser().parseFromString(html, 'text/html')
        if (!next.getElementById('job-progress')) { window.location.reload(); return }
        ['job-status', 'job-rows'].forEach(function (id) {
          var shown = document.getElementById(id)
          var fresh = next.getElementById(id)
          if (shown && fresh && shown.textContent !== fresh.textContent) {
            shown.textContent = fresh.textContent
          }
        })
        window.setTimeout(check, every)
      })
      .catch(function () { window.setTimeout(check, every * 2) })
  }
  window.setTimeout(check, every)
})()
