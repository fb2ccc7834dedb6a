/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-frame.c: without a compositor (solid-csd, as under Xvfb), the main window's frame
 * looks as Adwaita draws it, but from nodes the GL renderer draws as strips along the edges: an
 * inset shadow, even one pixel wide, is shaded over the whole window, every frame. */

#include "config.h"

#include <string.h>

#include "fw-test-ui.h"

/* Adwaita's frame is 5 pixels wide */
#define RING 5

/* The window's node, frame included: its paintable scales it into the widget's size, the frame
 * sitting outside it */
static GskRenderNode *
window_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  if (gsk_render_node_get_node_type (node) == GSK_TRANSFORM_NODE)
    return gsk_render_node_ref (gsk_transform_node_get_child (node));

  return g_steal_pointer (&node);
}

static guint
count_inset_shadows (GskRenderNode *node)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_INSET_SHADOW_NODE:
      return 1;
    case GSK_CONTAINER_NODE:
      {
        guint n = 0;

        for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
          n += count_inset_shadows (gsk_container_node_get_child (node, i));
        return n;
      }
    case GSK_TRANSFORM_NODE:
      return count_inset_shadows (gsk_transform_node_get_child (node));
    case GSK_CLIP_NODE:
      return count_inset_shadows (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return count_inset_shadows (gsk_rounded_clip_node_get_child (node));
    case GSK_OPACITY_NODE:
      return count_inset_shadows (gsk_opacity_node_get_child (node));
    case GSK_COLOR_MATRIX_NODE:
      return count_inset_shadows (gsk_color_matrix_node_get_child (node));
    case GSK_DEBUG_NODE:
      return count_inset_shadows (gsk_debug_node_get_child (node));
    default:
      return 0;
    }
}

/* Where @widget is on its window's surface: the window's own coordinates start inside its
 * frame, which differs */
static void
content_on_surface (GtkWidget       *widget,
                    graphene_rect_t *bounds)
{
  GtkNative *native = gtk_widget_get_native (widget);
  double x, y;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (native), bounds));
  gtk_native_get_surface_transform (native, &x, &y);
  bounds->origin.x += x;
  bounds->origin.y += y;
}

/* B, G, R, A (premultiplied), as the cairo renderer draws @node, @width × @height from its
 * bounds' origin */
static guchar *
render_pixels (GskRenderNode *node,
               int            width,
               int            height)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guchar *pixels = g_malloc0 ((gsize) width * height * 4);
  graphene_rect_t bounds;

  gsk_render_node_get_bounds (node, &bounds);
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (bounds.origin.x, bounds.origin.y,
                                                              width, height));
  gdk_texture_download (texture, pixels, width * 4);
  gsk_renderer_unrealize (renderer);

  return pixels;
}

/* @data: whether the window is in the background (:backdrop), where Adwaita's frame has other
 * colours */
static void
test_solid_frame_without_whole_window_shadows (gconstpointer data)
{
  gboolean backdrop = GPOINTER_TO_INT (data);
  FwWindow *window = fw_test_ui_open_window ();
  GtkWidget *widget = GTK_WIDGET (window);
  /* What the window shows inside its frame: the first page of its content */
  GtkWidget *child =
    gtk_widget_get_first_child (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)));
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  g_autoptr(GskRenderNode) adwaita = NULL;
  g_autoptr(GskRenderNode) ours = NULL;
  g_autofree guchar *adwaita_pixels = NULL;
  g_autofree guchar *our_pixels = NULL;
  graphene_rect_t adwaita_content, our_content;
  graphene_rect_t bounds;
  int width, height;
  guint n_different = 0;

  if (!gtk_widget_has_css_class (widget, "solid-csd"))
    {
      g_test_skip ("the display has a compositor: the window has no solid frame");
      fw_test_ui_close_window (window);
      return;
    }

  if (backdrop)
    {
      gtk_widget_set_state_flags (widget, GTK_STATE_FLAG_BACKDROP, FALSE);
      fw_test_ui_settle (window);
    }

  /* The tests' windows have no application, which would load the style: first Adwaita's
   * frame, then ours */
  adwaita = window_node (widget);
  gsk_render_node_get_bounds (adwaita, &bounds);
  width = (int) bounds.size.width;
  height = (int) bounds.size.height;
  adwaita_pixels = render_pixels (adwaita, width, height);
  content_on_surface (child, &adwaita_content);

  gtk_css_provider_load_from_resource (provider, "/io/github/feedwatch/Feedwatch/style.css");
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (widget),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  fw_test_ui_settle (window);
  ours = window_node (widget);
  gsk_render_node_get_bounds (ours, &bounds);
  g_assert_cmpint ((int) bounds.size.width, ==, width);
  g_assert_cmpint ((int) bounds.size.height, ==, height);
  our_pixels = render_pixels (ours, width, height);
  content_on_surface (child, &our_content);

  /* No inset shadow (Adwaita's frame has three), what it frames where it was, and the
   * frame the same to the pixel */
  g_test_message ("inset shadows: Adwaita's frame %u, ours %u", count_inset_shadows (adwaita),
                  count_inset_shadows (ours));
  g_assert_cmpuint (count_inset_shadows (ours), ==, 0);
  g_test_message ("content on the surface: Adwaita's frame %g,%g %g×%g, ours %g,%g %g×%g",
                  adwaita_content.origin.x, adwaita_content.origin.y, adwaita_content.size.width,
                  adwaita_content.size.height, our_content.origin.x, our_content.origin.y,
                  our_content.size.width, our_content.size.height);
  g_assert_true (graphene_rect_equal (&adwaita_content, &our_content));
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        gsize i = ((gsize) y * width + x) * 4;

        if (x >= RING && y >= RING && x < width - RING && y < height - RING)
          continue;
        if (memcmp (adwaita_pixels + i, our_pixels + i, 4) != 0 && n_different++ < 5)
          g_test_message ("frame pixel %d,%d: %02x%02x%02x%02x, was %02x%02x%02x%02x", x, y,
                          our_pixels[i + 2], our_pixels[i + 1], our_pixels[i], our_pixels[i + 3],
                          adwaita_pixels[i + 2], adwaita_pixels[i + 1], adwaita_pixels[i],
                          adwaita_pixels[i + 3]);
      }
  g_assert_cmpuint (n_different, ==, 0);
  g_assert_cmpint (!!(gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_BACKDROP), ==, backdrop);

  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (widget),
                                                 GTK_STYLE_PROVIDER (provider));
  fw_test_ui_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_data_func ("/window-frame/solid-frame-without-whole-window-shadows",
                        GINT_TO_POINTER (FALSE), test_solid_frame_without_whole_window_shadows);
  g_test_add_data_func ("/window-frame/solid-frame-without-whole-window-shadows-backdrop",
                        GINT_TO_POINTER (TRUE), test_solid_frame_without_whole_window_shadows);

  return g_test_run ();
}
