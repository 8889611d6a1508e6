"""The troubleshooter in the browser: Pyodide runtime, matcher archive, widget files, file:// embedding."""
