/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: the window opens on its empty state and closes, taking its streams along */

#include "config.h"

#include "fw-test-util.h"
#include "fw-window.h"

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_open_and_close (void)
{
  FwWindow *window = fw_window_new (NULL);
  GtkWidget *status;
  GWeakRef weak;

  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (ADW_IS_APPLICATION_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Feedwatch");
  status = find_child_of_type (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_is_visible (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Feeds Yet");
  g_assert_nonnull (find_child_of_type (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR));

  g_weak_ref_init (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  fw_test_iterate_idle ();
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

static void
test_close_closes_bound_streams (void)
{
  FwWindow *window = fw_window_new (NULL);
  g_autoptr(FwStream) stream = fw_feed_open ("sim:sensor?interval=1", FW_FEED_OPEN_NONE, NULL);
  GCancellable *cancellable = g_object_ref (fw_window_get_cancellable (window));
  g_autoptr(FwItem) item = NULL;

  gtk_window_present (GTK_WINDOW (window));
  fw_stream_bind_to_owner (stream, window);
  item = fw_test_next (stream, cancellable, NULL);
  g_assert_nonnull (item);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_true (fw_stream_is_closed (stream));
  g_object_unref (cancellable);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/open-and-close", test_open_and_close);
  g_test_add_func ("/window/close-closes-bound-streams", test_close_closes_bound_streams);

  return g_test_run ();
}
