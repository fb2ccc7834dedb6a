/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-accessible.c: accessible names GTK 4.8 leaves out of its own widgets' insides. A drop-down
 * is a combo box with the name it is given, but the toggle button inside it, which a screen
 * reader reaches on its own, is named after its type ("GtkToggleButton"). */

#include "config.h"

#include "fw-accessible.h"

/**
 * fw_accessible_name_drop_down:
 * @label: what the drop-down chooses (its own accessible label, in the .ui)
 *
 * Names the button inside @drop_down as @drop_down is named.
 */
void
fw_accessible_name_drop_down (GtkDropDown *drop_down,
                              const char  *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (drop_down)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        label, -1);
    }
}
