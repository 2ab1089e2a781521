// GOV.UK Frontend's body-class snippet, as a file so the content security policy
// needs no exception for inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
