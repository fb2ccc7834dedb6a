/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-ui.c: reading the window as a person sees it.
 *
 * The rows are read from the column view's row widgets, not from its model: a row widget that
 * kept an old binding shows old text whatever the model says, and that is what a person (or a
 * screen reader, which reads the same cells' labels) would get. */

#include "config.h"

#include <dlfcn.h>

#include "fw-cell-text.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"

/* Mesa's software OpenGL driver (which GTK loads on X11 to choose a visual, whatever the
 * renderer) allocates once for the process's life, and is unloaded when the display closes,
 * before LeakSanitizer looks at exit: it can then neither unwind nor name the module, and
 * tests/lsan.supp cannot match it. Kept loaded (RTLD_NODELETE), it is named. */
__attribute__((constructor)) static void
keep_software_gl_driver (void)
{
  static const char *const paths[] = {
    "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
    "/usr/lib/aarch64-linux-gnu/dri/swrast_dri.so",
    "/usr/lib64/dri/swrast_dri.so",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    if (dlopen (paths[i], RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) != NULL)
      return;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/**
 * fw_test_ui_settle:
 *
 * Lets the frame clock publish what came in and the list lay it out and paint it: a few
 * frames pass.
 */
void
fw_test_ui_settle (FwWindow *window)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame, &frames, NULL);

  fw_test_wait_for_count (&frames, 4);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
}

/* A window as the app opens it, presented, mapped and laid out once. */
FwWindow *
fw_test_ui_open_window (void)
{
  FwWindow *window = fw_window_new (NULL);
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  fw_test_ui_settle (window);

  return window;
}

/* Closes @window and waits until it is finalized and every stream it owned is closed. */
void
fw_test_ui_close_window (FwWindow *window)
{
  GWeakRef weak;
  GObject *alive;
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  g_weak_ref_init (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  while ((alive = g_weak_ref_get (&weak)) != NULL ||
         fw_close_registry_get_n_closing (fw_close_registry_get_default ()) > 0)
    {
      g_clear_object (&alive);
      if (g_get_monotonic_time () > deadline)
        g_error ("the window or its streams did not go away within %d ms", FW_TEST_DEADLINE_MS);
      g_main_context_iteration (NULL, TRUE);
    }
  g_weak_ref_clear (&weak);
}

static GtkWidget *
find_descendant_of_type (GtkWidget *widget,
                         GType      type)
{
  return fw_test_ui_find_widget (widget, type);
}

/**
 * fw_test_ui_find_widget:
 *
 * Returns: (nullable): @widget or its first descendant (depth first) of @type
 */
GtkWidget *
fw_test_ui_find_widget (GtkWidget *widget,
                        GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fw_test_ui_find_widget (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * fw_test_ui_find_with_css_class:
 *
 * Returns: (nullable): @widget or its first descendant (depth first) with @css_class
 */
GtkWidget *
fw_test_ui_find_with_css_class (GtkWidget  *widget,
                                const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fw_test_ui_find_with_css_class (child, css_class);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect_of_type (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_of_type (child, type, found);
}

/* The text a widget shows: a label's or a list cell's, the first one found in its subtree
 * (outside buttons, whose labels say what they do, not what the widget shows). */
static const char *
shown_text (GtkWidget *widget)
{
  if (FW_IS_CELL_TEXT (widget))
    return fw_cell_text_get_text (FW_CELL_TEXT (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_BUTTON (widget))
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text;

      if (!gtk_widget_get_visible (child))
        continue;
      text = shown_text (child);
      if (text != NULL)
        return text;
    }

  return NULL;
}

/* The sidebar's rows: "All Feeds" in its list box, and the feeds' rows on screen in the
 * recycling list (its row widgets, each holding an FwFeedRow; the live list's column view is a
 * list view of another type). */
static void
collect_sidebar_rows (GtkWidget *widget,
                      GPtrArray *found)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_LIST_BOX_ROW (widget) ||
      (parent != NULL && G_OBJECT_TYPE (parent) == GTK_TYPE_LIST_VIEW))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_sidebar_rows (child, found);
}

/**
 * fw_test_ui_activate_sidebar_row:
 * @title: the name the row shows ("All Feeds", or a feed's title)
 *
 * Activates the sidebar row showing @title, as a click or Enter on it does.
 *
 * Returns: whether such a row was found
 */
gboolean
fw_test_ui_activate_sidebar_row (FwWindow   *window,
                                 const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_sidebar_rows (GTK_WIDGET (window), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (!gtk_widget_get_mapped (row) || g_strcmp0 (shown_text (row), title) != 0)
        continue;
      if (GTK_IS_LIST_BOX_ROW (row))
        {
          /* GtkListBoxRow's activate signal: what its click gesture and the Enter key send */
          g_assert_true (gtk_widget_activate (row));
        }
      else
        {
          /* What a list row's click sends: select it alone (neither Ctrl nor Shift held) */
          g_assert_true (gtk_widget_activate_action (row, "listitem.select", "(bb)", FALSE,
                                                     FALSE));
        }
      return TRUE;
    }

  return FALSE;
}

/**
 * fw_test_ui_press_button:
 * @label: the button's label, as shown
 *
 * Presses the button with @label shown in @window (a toast's button, say), as a click does.
 *
 * Returns: %FALSE when no such button is on screen
 */
gboolean
fw_test_ui_press_button (FwWindow   *window,
                         const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_of_type (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (gtk_widget_get_mapped (button) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) == 0)
        {
          /* What a click's release sends (gtk_widget_activate() would press it for a
           * quarter of a second first, the keyboard's way) */
          g_signal_emit_by_name (button, "clicked");
          return TRUE;
        }
    }

  return FALSE;
}

GtkScrolledWindow *
fw_test_ui_get_list_scroller (FwWindow *window)
{
  GtkWidget *view = find_descendant_of_type (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW);

  g_assert_nonnull (view);
  return GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW));
}

typedef struct
{
  GtkWidget *widget;
  double     position;
} Placed;

static int
compare_placed (gconstpointer a,
                gconstpointer b)
{
  const Placed *pa = a, *pb = b;

  return (pa->position > pb->position) - (pa->position < pb->position);
}

/* The cells' texts of one row widget, left to right, of the columns shown */
static GStrv
read_row (GtkWidget *row)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Placed));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GtkWidget *cell = gtk_widget_get_first_child (row);
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      graphene_rect_t bounds;
      Placed placed = { cell, 0 };

      if (!gtk_widget_get_mapped (cell) || !gtk_widget_compute_bounds (cell, row, &bounds))
        continue;
      placed.position = bounds.origin.x;
      g_array_append_val (cells, placed);
    }
  g_array_sort (cells, compare_placed);
  for (guint i = 0; i < cells->len; i++)
    {
      const char *text = shown_text (g_array_index (cells, Placed, i).widget);
      g_strv_builder_add (builder, text != NULL ? text : "");
    }

  return g_strv_builder_end (builder);
}

/**
 * fw_test_ui_read_rows:
 *
 * Reads the live list as it is on screen: the row widgets that are mapped and at least partly
 * inside the list's visible area, top to bottom, each as the texts of its cells, left to right
 * (hidden columns are not read).
 *
 * Returns: (transfer full) (element-type GStrv): the rows
 */
GPtrArray *
fw_test_ui_read_rows (FwWindow *window)
{
  GtkScrolledWindow *scroller = fw_test_ui_get_list_scroller (window);
  GtkWidget *column_view = find_descendant_of_type (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW);
  /* The column view's rows live in its list view, below its header row */
  GtkWidget *list = NULL;
  g_autoptr(GArray) placed_rows = g_array_new (FALSE, FALSE, sizeof (Placed));
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  graphene_rect_t area, list_bounds;

  for (GtkWidget *child = gtk_widget_get_first_child (column_view);
       child != NULL && list == NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        list = child;
    }
  g_assert_nonnull (list);

  /* What is visible of the list: the scrolled window's area, less what of it the list does
   * not cover (the header) */
  graphene_rect_init (&area, 0, 0, gtk_widget_get_width (GTK_WIDGET (scroller)),
                      gtk_widget_get_height (GTK_WIDGET (scroller)));
  g_assert_true (gtk_widget_compute_bounds (list, GTK_WIDGET (scroller), &list_bounds));
  if (!graphene_rect_intersection (&area, &list_bounds, &area))
    return rows;

  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds, seen;
      Placed placed = { row, 0 };

      if (!gtk_widget_get_mapped (row) ||
          !gtk_widget_compute_bounds (row, GTK_WIDGET (scroller), &bounds) ||
          !graphene_rect_intersection (&bounds, &area, &seen) || seen.size.height < 1)
        continue;
      placed.position = bounds.origin.y;
      g_array_append_val (placed_rows, placed);
    }
  g_array_sort (placed_rows, compare_placed);
  for (guint i = 0; i < placed_rows->len; i++)
    g_ptr_array_add (rows, read_row (g_array_index (placed_rows, Placed, i).widget));

  return rows;
}

/* One row as one line, its cells separated by " | " (for messages) */
char *
fw_test_ui_row_to_string (const char * const *cells)
{
  return g_strjoinv (" | ", (GStrv) cells);
}

/* The rows read, one a line (for messages) */
char *
fw_test_ui_dump_rows (GPtrArray *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *line = fw_test_ui_row_to_string (g_ptr_array_index (rows, i));
      g_string_append_printf (out, "  [%u] %s\n", i, line);
    }

  return g_string_free (out, FALSE);
}

/**
 * fw_test_ui_get_toast_text:
 *
 * Returns: (transfer full) (nullable): the title of the toast on screen, as it reads (markup
 *   already applied), or %NULL when none is shown
 */
char *
fw_test_ui_get_toast_text (FwWindow *window)
{
  GtkWidget *overlay = find_descendant_of_type (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);
  GType toast_widget = g_type_from_name ("AdwToastWidget");

  g_assert_nonnull (overlay);
  /* The type is registered as the process shows its first toast */
  if (toast_widget == G_TYPE_INVALID)
    return NULL;
  /* The overlay's children: its content, then the toasts shown, the newest last (one that is
   * leaving may still be there, a queued one has no widget yet) */
  for (GtkWidget *child = gtk_widget_get_last_child (overlay);
       child != NULL;
       child = gtk_widget_get_prev_sibling (child))
    {
      const char *text;

      if (!g_type_is_a (G_OBJECT_TYPE (child), toast_widget) || !gtk_widget_get_mapped (child))
        continue;
      text = shown_text (child);
      if (text != NULL)
        return g_strdup (text);
    }

  return NULL;
}

static void
on_clipboard_text (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*text);
}

/**
 * fw_test_ui_read_clipboard:
 *
 * Returns: (transfer full): the text on @widget's clipboard, read back as another application
 *   would read it
 */
char *
fw_test_ui_read_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &text);
  while (text == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return text;
}

static gboolean
runner_is_done (gpointer user_data)
{
  FwFeedState state = fw_feed_runner_get_state (user_data);

  return state == FW_FEED_STATE_ENDED || state == FW_FEED_STATE_FAILED;
}

/**
 * fw_test_ui_add_items:
 * @items: (transfer full) (element-type FwItem): what the feed brings
 *
 * Adds a feed of @items, its title @spec, to @window, and waits until it has read them all
 * and the window has settled.
 */
void
fw_test_ui_add_items (FwWindow   *window,
                      const char *spec,
                      GPtrArray  *items)
{
  g_autoptr(FwStream) stream = fw_array_stream_new_take (items);
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream (spec, stream);

  fw_window_add_runner (window, runner, FALSE);
  fw_test_wait_until (runner_is_done, runner, "the feed's end");
  fw_test_ui_settle (window);
}
