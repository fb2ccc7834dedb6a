// SPDX-License-Identifier: LGPL-2.1-or-later
// Where links to the namespaces Feedwatch builds on point.
baseURLs = [
  [ 'GLib', 'https://docs.gtk.org/glib/' ],
  [ 'GObject', 'https://docs.gtk.org/gobject/' ],
  [ 'Gio', 'https://docs.gtk.org/gio/' ],
]
